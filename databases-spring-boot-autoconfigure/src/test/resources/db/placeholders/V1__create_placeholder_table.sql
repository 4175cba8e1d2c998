CREATE TABLE ${table_name} (id INT);

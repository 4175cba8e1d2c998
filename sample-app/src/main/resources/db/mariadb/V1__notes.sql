-- MariaDB/MySQL form of db/migration/V1__notes.sql: AUTO_INCREMENT instead of an identity column.
CREATE TABLE notes (
	id INTEGER AUTO_INCREMENT PRIMARY KEY,
	text VARCHAR(100) NOT NULL,
	completed BOOLEAN NOT NULL DEFAULT FALSE
);

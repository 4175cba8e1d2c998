CREATE TABLE boot_vendor_h2 (id INT);

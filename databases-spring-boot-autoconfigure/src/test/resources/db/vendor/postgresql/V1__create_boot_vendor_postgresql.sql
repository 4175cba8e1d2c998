CREATE TABLE IF NOT EXISTS boot_vendor_postgresql (id INT);

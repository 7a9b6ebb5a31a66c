-- A new weekly or fortnightly series.
INSERT INTO series VALUES (?, ?, ?, ?)

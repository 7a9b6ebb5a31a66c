-- A pending reminder's new due instant.
UPDATE reminders SET due_at = ? WHERE id = ?

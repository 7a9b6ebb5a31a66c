-- A reason taken off the choices (records that carry it keep it).
UPDATE cancellation_reasons SET retired_at = ?, retired_by = ? WHERE code = ?

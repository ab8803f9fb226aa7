-- Where an online service starts in this portal (the service page's "start" button), e.g.
-- "/pengaduan/baru"; empty for services not (yet) usable online here.
ALTER TABLE services ADD COLUMN start_path TEXT NOT NULL DEFAULT '';

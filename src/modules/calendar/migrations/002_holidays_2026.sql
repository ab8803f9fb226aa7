-- National holidays and cuti bersama of 2026: Keputusan Bersama Menteri Agama, Menteri
-- Ketenagakerjaan dan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 1497
-- Tahun 2025, Nomor 2 Tahun 2025, Nomor 5 Tahun 2025 tentang Hari Libur Nasional dan Cuti
-- Bersama Tahun 2026 (19 September 2025): 17 days of national holidays, 8 of cuti bersama.
-- Idul Fitri 1447 H (21-22 March) was confirmed by the isbat of 19 March 2026. A later change
-- (a Keputusan Presiden, a new isbat) is made by an administrator, or in a new migration: an
-- applied migration is never edited.
INSERT INTO holidays (date, name_id, name_en, collective_leave, created_at) VALUES
  ('2026-01-01', 'Tahun Baru 2026 Masehi', 'New Year''s Day 2026', 0, 0),
  ('2026-01-16', 'Isra Mikraj Nabi Muhammad S.A.W.', 'Isra and Mi''raj of the Prophet Muhammad', 0, 0),
  ('2026-02-16', 'Cuti bersama Tahun Baru Imlek 2577 Kongzili', 'Collective leave: Chinese New Year 2577', 1, 0),
  ('2026-02-17', 'Tahun Baru Imlek 2577 Kongzili', 'Chinese New Year 2577', 0, 0),
  ('2026-03-18', 'Cuti bersama Hari Suci Nyepi (Tahun Baru Saka 1948)', 'Collective leave: Day of Silence (Saka New Year 1948)', 1, 0),
  ('2026-03-19', 'Hari Suci Nyepi (Tahun Baru Saka 1948)', 'Day of Silence (Saka New Year 1948)', 0, 0),
  ('2026-03-20', 'Cuti bersama Idul Fitri 1447 Hijriah', 'Collective leave: Eid al-Fitr 1447 AH', 1, 0),
  ('2026-03-21', 'Idul Fitri 1447 Hijriah', 'Eid al-Fitr 1447 AH', 0, 0),
  ('2026-03-22', 'Idul Fitri 1447 Hijriah', 'Eid al-Fitr 1447 AH (second day)', 0, 0),
  ('2026-03-23', 'Cuti bersama Idul Fitri 1447 Hijriah', 'Collective leave: Eid al-Fitr 1447 AH', 1, 0),
  ('2026-03-24', 'Cuti bersama Idul Fitri 1447 Hijriah', 'Collective leave: Eid al-Fitr 1447 AH', 1, 0),
  ('2026-04-03', 'Wafat Yesus Kristus', 'Good Friday', 0, 0),
  ('2026-04-05', 'Kebangkitan Yesus Kristus (Paskah)', 'Easter Sunday', 0, 0),
  ('2026-05-01', 'Hari Buruh Internasional', 'International Labour Day', 0, 0),
  ('2026-05-14', 'Kenaikan Yesus Kristus', 'Ascension of Jesus Christ', 0, 0),
  ('2026-05-15', 'Cuti bersama Kenaikan Yesus Kristus', 'Collective leave: Ascension of Jesus Christ', 1, 0),
  ('2026-05-27', 'Idul Adha 1447 Hijriah', 'Eid al-Adha 1447 AH', 0, 0),
  ('2026-05-28', 'Cuti bersama Idul Adha 1447 Hijriah', 'Collective leave: Eid al-Adha 1447 AH', 1, 0),
  ('2026-05-31', 'Hari Raya Waisak 2570 BE', 'Vesak Day 2570 BE', 0, 0),
  ('2026-06-01', 'Hari Lahir Pancasila', 'Pancasila Day', 0, 0),
  ('2026-06-16', '1 Muharam Tahun Baru Islam 1448 Hijriah', 'Islamic New Year 1448 AH', 0, 0),
  ('2026-08-17', 'Proklamasi Kemerdekaan', 'Independence Day', 0, 0),
  ('2026-08-25', 'Maulid Nabi Muhammad S.A.W.', 'Birthday of the Prophet Muhammad', 0, 0),
  ('2026-12-24', 'Cuti bersama Kelahiran Yesus Kristus', 'Collective leave: Christmas', 1, 0),
  ('2026-12-25', 'Kelahiran Yesus Kristus', 'Christmas Day', 0, 0)
ON CONFLICT (date) DO NOTHING;

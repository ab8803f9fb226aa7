// The demo city's catalog: Kota Madiun (Kemendagri 35.77), Jawa Timur. Real agency names and
// legal bases; descriptions written for the demo.
#include "modules/catalog/module.h"
#include "modules/catalog/service.h"
#include "modules/catalog/store.h"

namespace balai::catalog {
namespace {

const std::vector<Agency> kAgencies = {
    {"disdukcapil",
     {"Dinas Kependudukan dan Pencatatan Sipil", "Population and Civil Registration Office"}},
    {"dpmptsp",
     {"Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
      "Investment and One-Stop Service Office"}},
    {"bapenda", {"Badan Pendapatan Daerah", "Regional Revenue Agency"}},
    {"diskominfo", {"Dinas Komunikasi dan Informatika", "Communication and Informatics Office"}},
    {"dinkes", {"Dinas Kesehatan", "Health Office"}},
    {"dishub", {"Dinas Perhubungan", "Transport Office"}},
    {"ortala",
     {"Bagian Organisasi Sekretariat Daerah", "Organisation Bureau, Regional Secretariat"}},
};

std::vector<Service> demo_services() {
  std::vector<Service> s;
  s.push_back({
      .code = "identitas",
      .agency_code = "disdukcapil",
      .category = Category::identity,
      .icon = "icon-ktp",
      .name = {"Pendaftaran Identitas Warga", "Citizen Identity Registration"},
      .summary = {"Daftar sekali dengan NIK untuk memakai semua layanan kota.",
                  "Register once with your NIK to use every city service."},
      .description =
          {"Buat akun portal dengan Nomor Induk Kependudukan (NIK). Petugas Disdukcapil "
           "memverifikasi data Anda dengan foto KTP-el, lalu akun dapat dipakai untuk "
           "perizinan, pajak, pengaduan, dan layanan lain tanpa mendaftar ulang.",
           "Create a portal account with your population identity number (NIK). A "
           "Disdukcapil officer checks your data against your e-KTP photo; the account then "
           "works for permits, taxes, complaints and other services without registering again."},
      .requirements = {{"NIK dan nomor Kartu Keluarga", "NIK and family card (KK) number"},
                       {"Foto KTP-el", "Photo of your e-KTP"},
                       {"Nomor telepon atau alamat email yang aktif",
                        "A working phone number or email address"}},
      .privacy =
          {"NIK, nama, tanggal lahir, alamat, telepon, dan email disimpan terenkripsi untuk "
           "membuktikan identitas Anda. Foto KTP-el dihapus setelah verifikasi.",
           "NIK, name, birth date, address, phone and email are stored encrypted to prove who you "
           "are. The e-KTP photo is deleted after verification."},
      .cost_rupiah = 0,
      .processing_days = 1,
      .legal_basis = "UU No. 24 Tahun 2013; UU No. 27 Tahun 2022; Perpres No. 95 Tahun 2018",
      .online = false,
      .position = 10,
  });
  s.push_back({
      .code = "izin-usaha",
      .agency_code = "dpmptsp",
      .category = Category::permits,
      .icon = "icon-permit",
      .name = {"Perizinan Berusaha", "Business Permits"},
      .summary = {"Ajukan izin usaha berbasis risiko dan pantau prosesnya.",
                  "Apply for a risk-based business permit and follow its progress."},
      .description =
          {"Pengajuan perizinan berusaha berbasis risiko (OSS-RBA) untuk usaha di Kota Madiun. "
           "Usaha berisiko rendah cukup dengan NIB; usaha berisiko menengah dan tinggi "
           "memerlukan sertifikat standar atau izin yang diverifikasi DPMPTSP.",
           "Risk-based business licensing (OSS-RBA) for businesses in Madiun. Low-risk "
           "businesses need only a business identity number (NIB); medium and high-risk "
           "businesses need a standard certificate or a permit verified by DPMPTSP."},
      .requirements = {{"Akun portal yang sudah terverifikasi", "A verified portal account"},
                       {"NPWP pemilik atau badan usaha",
                        "Tax number (NPWP) of the owner or company"},
                       {"Lokasi dan kegiatan usaha (KBLI)",
                        "Business location and activity code (KBLI)"}},
      .privacy =
          {"Data pemilik usaha dipakai untuk memproses izin dan dibagikan ke OSS sesuai ketentuan.",
           "The owner's data is used to process the permit and shared with OSS as the law "
           "requires."},
      .cost_rupiah = 0,
      .processing_days = 5,
      .legal_basis = "PP No. 5 Tahun 2021; Perpres No. 97 Tahun 2014",
      .online = false,
      .position = 20,
  });
  s.push_back({
      .code = "pajak-daerah",
      .agency_code = "bapenda",
      .category = Category::tax,
      .icon = "icon-tax",
      .name = {"Pajak Daerah (PBB-P2)", "Regional Tax (Land and Building Tax)"},
      .summary =
          {"Lihat tagihan PBB-P2, bayar dengan kode billing, unduh bukti bayar.",
           "See your land and building tax bill, pay with a billing code, download the receipt."},
      .description =
          {"Cek Surat Pemberitahuan Pajak Terutang (SPPT) PBB-P2 dengan Nomor Objek Pajak, "
           "buat kode billing, dan bayar melalui bank atau kanal pembayaran yang bekerja sama "
           "dengan Bapenda. Bukti bayar dapat diunduh setelah pembayaran diterima.",
           "Check your land and building tax assessment (SPPT PBB-P2) by tax object number, "
           "create a billing code and pay at a bank or payment channel that works with "
           "Bapenda. The receipt can be downloaded once payment is received."},
      .requirements = {{"Nomor Objek Pajak (NOP)", "Tax object number (NOP)"}},
      .privacy = {"Nama wajib pajak dan alamat objek pajak dipakai untuk tagihan dan bukti bayar.",
                  "The taxpayer's name and the property address are used for bills and receipts."},
      .cost_rupiah = 0,
      .processing_days = 0,
      .legal_basis = "UU No. 1 Tahun 2022; Perda Kota Madiun tentang Pajak Daerah",
      .online = false,
      .position = 30,
  });
  s.push_back({
      .code = "pengaduan",
      .agency_code = "diskominfo",
      .category = Category::complaints,
      .icon = "icon-complaint",
      .name = {"Pengaduan Masyarakat", "Public Complaints"},
      .summary =
          {"Laporkan masalah di kota dengan lokasi dan foto, ikuti sampai selesai.",
           "Report a problem in the city with its place and a photo, and follow it to the end."},
      .description =
          {"Sampaikan pengaduan, aspirasi, atau permintaan informasi. Laporan diteruskan ke "
           "perangkat daerah yang berwenang, ditindaklanjuti dalam batas waktu layanan, dan "
           "Anda dapat menilai jawabannya.",
           "Send a complaint, a suggestion or a request for information. Reports go to the "
           "responsible agency, are handled within the service levels, and you can rate the "
           "answer."},
      .requirements = {{"Uraian masalah dan lokasinya",
                        "A description of the problem and its place"},
                       {"Foto (tidak wajib)", "A photo (optional)"}},
      .privacy =
          {"Identitas pelapor hanya dilihat petugas yang menangani; pelapor dapat memilih anonim.",
           "Only the handling officers see who reported; reporters may stay anonymous."},
      .cost_rupiah = 0,
      .processing_days = 5,
      .legal_basis = "Perpres No. 76 Tahun 2013; PermenPANRB No. 62 Tahun 2018",
      .online = false,
      .position = 40,
  });
  s.push_back({
      .code = "vaksinasi",
      .agency_code = "dinkes",
      .category = Category::appointments,
      .icon = "icon-vaccine",
      .name = {"Janji Temu Vaksinasi dan Loket", "Vaccination and Counter Appointments"},
      .summary = {"Pesan jadwal vaksinasi atau antrean loket tanpa menunggu lama.",
                  "Book a vaccination or a counter slot without a long wait."},
      .description =
          {"Pilih puskesmas atau loket layanan, tanggal, dan jam yang masih tersedia. Kuota "
           "setiap jadwal dijaga sehingga tidak pernah melebihi kapasitas.",
           "Choose a health centre or service counter, a date and a free time. Every slot "
           "keeps to its capacity and is never overbooked."},
      .requirements = {{"Akun portal", "A portal account"}},
      .privacy = {"Nama dan NIK dipakai untuk mencatat janji temu dan riwayat vaksinasi.",
                  "Name and NIK are used to record the appointment and vaccination history."},
      .cost_rupiah = 0,
      .processing_days = 0,
      .legal_basis = "Permenkes No. 12 Tahun 2017",
      .online = false,
      .position = 50,
  });
  s.push_back({
      .code = "transportasi",
      .agency_code = "dishub",
      .category = Category::transport,
      .icon = "icon-bus",
      .name = {"Transportasi Umum", "Public Transport"},
      .summary = {"Halte, rute, dan jadwal keberangkatan berikutnya.",
                  "Stops, routes and next departures."},
      .description =
          {"Informasi halte, rute, dan jadwal angkutan umum kota dari data GTFS, dengan posisi "
           "kendaraan secara langsung bila tersedia.",
           "Stops, routes and timetables of the city's public transport from its GTFS feed, "
           "with live vehicle positions where available."},
      .requirements = {},
      .privacy = {"Tidak memerlukan data pribadi.", "No personal data is needed."},
      .cost_rupiah = 0,
      .processing_days = 0,
      .legal_basis = "UU No. 22 Tahun 2009",
      .online = false,
      .position = 60,
  });
  s.push_back({
      .code = "kota-cerdas",
      .agency_code = "diskominfo",
      .category = Category::smart_city,
      .icon = "icon-sensor",
      .name = {"Informasi Kota Langsung", "Live City Information"},
      .summary = {"Lalu lintas, cuaca, tinggi muka air, dan kualitas udara saat ini.",
                  "Traffic, weather, water levels and air quality right now."},
      .description =
          {"Data sensor kota yang diperbarui terus: kepadatan lalu lintas, cuaca, tinggi muka air "
           "sungai, dan indeks kualitas udara (ISPU), dengan peringatan bila melewati ambang "
           "batas.",
           "Continuously updated sensor data: traffic, weather, river water levels and the air "
           "quality index (ISPU), with warnings when a threshold is passed."},
      .requirements = {},
      .privacy = {"Tidak memerlukan data pribadi.", "No personal data is needed."},
      .cost_rupiah = 0,
      .processing_days = 0,
      .legal_basis = "Perpres No. 95 Tahun 2018",
      .online = false,
      .position = 70,
  });
  s.push_back({
      .code = "survei-kepuasan",
      .agency_code = "ortala",
      .category = Category::feedback,
      .icon = "icon-star",
      .name = {"Survei Kepuasan Masyarakat", "Public Satisfaction Survey"},
      .summary = {"Nilai layanan yang sudah Anda terima; hasilnya terbuka untuk umum.",
                  "Rate the services you received; the results are public."},
      .description =
          {"Setiap layanan yang selesai dapat dinilai dengan sembilan unsur Survei Kepuasan "
           "Masyarakat. Indeks Kepuasan Masyarakat (IKM) tiap layanan diumumkan.",
           "Every finished service can be rated on the nine elements of the public satisfaction "
           "survey. Each service's satisfaction index (IKM) is published."},
      .requirements = {},
      .privacy = {"Penilaian disimpan tanpa identitas dalam laporan.",
                  "Ratings are reported without identities."},
      .cost_rupiah = 0,
      .processing_days = 0,
      .legal_basis = "PermenPANRB No. 14 Tahun 2017",
      .online = false,
      .position = 80,
  });
  s.push_back({
      .code = "akta-kelahiran",
      .agency_code = "disdukcapil",
      .category = Category::identity,
      .icon = "icon-ktp",
      .name = {"Akta Kelahiran", "Birth Certificate"},
      .summary = {"Pencatatan kelahiran dan penerbitan akta kelahiran.",
                  "Registration of a birth and issue of the birth certificate."},
      .description =
          {"Kelahiran dilaporkan paling lambat 60 hari. Akta kelahiran diterbitkan tanpa biaya "
           "dan dapat dicetak sendiri dengan kertas HVS.",
           "A birth is reported within 60 days. The certificate is issued free of charge and can "
           "be printed at home on plain paper."},
      .requirements = {{"Surat keterangan lahir dari rumah sakit, puskesmas, atau bidan",
                        "Birth statement from the hospital, health centre or midwife"},
                       {"Kartu Keluarga orang tua", "Parents' family card"},
                       {"Buku nikah atau akta perkawinan orang tua",
                        "Parents' marriage certificate"}},
      .privacy =
          {"Data bayi dan orang tua dipakai untuk pencatatan sipil sesuai undang-undang.",
           "The child's and parents' data are used for civil registration as the law requires."},
      .cost_rupiah = 0,
      .processing_days = 3,
      .legal_basis = "UU No. 24 Tahun 2013; Permendagri No. 108 Tahun 2019",
      .online = false,
      .position = 15,
  });
  s.push_back({
      .code = "data-saya",
      .agency_code = "diskominfo",
      .category = Category::transparency,
      .icon = "icon-shield",
      .name = {"Data Saya", "My Data"},
      .summary = {"Lihat siapa yang mengakses data pribadi Anda, kapan, dan untuk apa.",
                  "See who accessed your personal data, when and why."},
      .description =
          {"Sesuai UU Pelindungan Data Pribadi, Anda berhak melihat data yang disimpan tentang "
           "Anda, mengetahui setiap akses petugas, mengunduhnya, dan meminta perbaikan atau "
           "penghapusan.",
           "Under the Personal Data Protection Law you may see the data held about you, every "
           "access by an officer, download it, and ask for correction or deletion."},
      .requirements = {{"Akun portal", "A portal account"}},
      .privacy = {"Menampilkan data Anda hanya kepada Anda sendiri.",
                  "Shows your data to you alone."},
      .cost_rupiah = 0,
      .processing_days = 3,
      .legal_basis = "UU No. 27 Tahun 2022",
      .online = false,
      .position = 90,
  });
  return s;
}

}  // namespace

core::Status seed_demo(app::App& app) {
  Store store(app.db);
  CatalogService service(store, app.clock, app.cache);
  for (const auto& a : kAgencies) BALAI_TRY(service.save_agency(a));
  for (const auto& s : demo_services()) BALAI_TRY(service.save_service(s));
  return {};
}

}  // namespace balai::catalog

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
      .privacy_notice =
          {.data_items =
               {{"NIK (Nomor Induk Kependudukan)", "NIK (population identity number)"},
                {"Nomor Kartu Keluarga (KK)", "Family card (KK) number"},
                {"Nama lengkap", "Full name"},
                {"Tanggal lahir", "Date of birth"},
                {"Jenis kelamin", "Sex"},
                {"Alamat sesuai KTP-el", "Address as on your e-KTP"},
                {"Nomor telepon", "Phone number"},
                {"Alamat email", "Email address"},
                {"Foto KTP-el, yang dihapus setelah verifikasi selesai",
                 "Photo of your e-KTP, deleted once verification is finished"},
                {"Kata sandi, yang disimpan hanya sebagai hash yang tidak dapat dikembalikan",
                 "Password, stored only as a hash that cannot be turned back into the password"},
                {"Catatan akses akun: waktu masuk, alamat IP, dan jenis peramban",
                 "Account access log: sign-in times, IP address and type of browser"}},
           .purpose = {"Untuk membuat akun portal Anda dan memastikan bahwa akun itu benar milik "
                       "Anda, sehingga satu akun dapat dipakai untuk semua layanan kota tanpa "
                       "mendaftar ulang. NIK dan data identitas dicocokkan dengan data "
                       "kependudukan; foto KTP-el hanya dipakai petugas untuk verifikasi. Telepon "
                       "dan email dipakai untuk kode verifikasi, pemulihan akun, dan kabar tentang "
                       "permohonan Anda. Catatan akses dipakai untuk menjaga keamanan akun, "
                       "misalnya untuk mengenali percobaan masuk oleh orang lain.",
                       "To create your portal account and make sure it really belongs to you, so "
                       "that one account works for every city service without registering again. "
                       "Your NIK and identity data are checked against the population records; the "
                       "e-KTP photo is used only by the officer who verifies you. Your phone and "
                       "email are used for verification codes, account recovery and news about "
                       "your applications. The access log keeps your account safe, for example by "
                       "spotting someone else trying to sign in."},
           .recipients =
               {"Petugas verifikasi Disdukcapil Kota Madiun melihat data identitas dan foto KTP-el "
                "Anda selama verifikasi. Petugas layanan lain hanya melihat nama dan data yang "
                "diperlukan untuk permohonan yang Anda ajukan kepada mereka. Administrator sistem "
                "di Diskominfo memelihara server; data pribadi tersimpan terenkripsi dan setiap "
                "pembukaan oleh petugas dicatat. NIK dicocokkan dengan basis data kependudukan "
                "Direktorat Jenderal Kependudukan dan Pencatatan Sipil Kementerian Dalam Negeri "
                "melalui hak akses resmi pemerintah kota. Data tidak diberikan kepada pihak "
                "swasta.",
                "Disdukcapil Madiun's verification officers see your identity data and e-KTP photo "
                "while they verify you. Officers of other services see only your name and the data "
                "needed for the applications you make to them. Diskominfo's system administrators "
                "maintain the servers; personal data is stored encrypted and every time an officer "
                "opens it is recorded. Your NIK is checked against the population database of the "
                "Directorate General of Population and Civil Registration, Ministry of Home "
                "Affairs, through the city government's official access rights. No data is given "
                "to private companies."},
           .retention =
               {"Data akun disimpan selama akun Anda aktif. Foto KTP-el dihapus segera setelah "
                "verifikasi selesai, baik diterima maupun ditolak. Jika Anda meminta akun ditutup "
                "melalui Data Saya, data identitas dan kontak dihapus, kecuali yang masih "
                "diperlukan untuk permohonan yang sedang berjalan atau yang wajib disimpan sebagai "
                "arsip layanan. Catatan sesi masuk dihapus 30 hari setelah sesi berakhir; catatan "
                "keamanan dan jejak audit akses disimpan sebagai arsip keamanan yang tidak dapat "
                "diubah.",
                "Account data is kept while your account is open. The e-KTP photo is deleted as "
                "soon as verification is finished, whether you were accepted or not. If you ask "
                "through My Data for your account to be closed, your identity and contact data are "
                "deleted, except what is still needed for an application in progress or must be "
                "kept as a service record. Records of sign-in sessions are deleted 30 days after "
                "the session ends; security records and the audit trail of accesses are kept as a "
                "security archive that cannot be altered."}},
      .cost_rupiah = 0,
      .processing_days = 1,
      .legal_basis =
          "UU No. 23 Tahun 2006 jo. UU No. 24 Tahun 2013 tentang Administrasi Kependudukan; UU No. "
          "27 Tahun 2022 tentang Pelindungan Data Pribadi; Perpres No. 95 Tahun 2018 tentang "
          "Sistem Pemerintahan Berbasis Elektronik; Permendagri No. 102 Tahun 2019 tentang "
          "Pemberian Hak Akses dan Pemanfaatan Data Kependudukan",
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
      .privacy_notice =
          {.data_items =
               {{"Nama, NIK, dan alamat pemilik atau penanggung jawab usaha",
                 "Name, NIK and address of the owner or person responsible for the business"},
                {"NPWP pemilik atau badan usaha", "Tax number (NPWP) of the owner or company"},
                {"Nomor telepon dan email usaha", "The business's phone number and email"},
                {"Lokasi usaha, termasuk titik koordinat",
                 "The business's location, including map coordinates"},
                {"Kegiatan usaha (KBLI), modal, dan jumlah tenaga kerja",
                 "Business activity (KBLI), capital and number of workers"},
                {"Dokumen yang Anda unggah, seperti akta pendirian dan bukti penguasaan lahan",
                 "Documents you upload, such as the deed of establishment and proof of land "
                 "rights"}},
           .purpose =
               {"Untuk memeriksa dan memproses permohonan perizinan berusaha sesuai tingkat "
                "risikonya, menerbitkan izin atau sertifikat standar, dan mengawasi usaha setelah "
                "izin terbit. Kontak dipakai untuk memberi kabar tentang permohonan Anda.",
                "To check and process your business licensing application according to its risk "
                "level, issue the permit or standard certificate, and supervise the business once "
                "the permit is issued. Your contact details are used to tell you how your "
                "application is going."},
           .recipients = {"Petugas DPMPTSP Kota Madiun yang memproses permohonan, dan petugas "
                          "dinas teknis yang memverifikasi persyaratan atau memeriksa lokasi "
                          "usaha. Data permohonan dikirim ke sistem OSS (Online Single Submission) "
                          "yang dikelola pemerintah pusat, sebagaimana diwajibkan peraturan "
                          "perizinan berusaha. Data tidak diberikan kepada pihak swasta.",
                          "The DPMPTSP Madiun officers who process the application, and officers "
                          "of the technical agencies who verify requirements or inspect the "
                          "business site. The application is sent to the OSS system (Online Single "
                          "Submission) run by the central government, as the business licensing "
                          "regulations require. No data is given to private companies."},
           .retention =
               {"Data perizinan disimpan selama izin berlaku dan usaha masih berjalan, lalu 10 "
                "tahun sebagai arsip perizinan sesuai jadwal retensi arsip. Permohonan yang "
                "ditolak atau dibatalkan disimpan 2 tahun, lalu dihapus.",
                "Licensing data is kept while the permit is valid and the business is running, "
                "then for 10 years as a licensing record under the records retention schedule. "
                "Applications that are refused or withdrawn are kept for 2 years, then deleted."}},
      .cost_rupiah = 0,
      .processing_days = 5,
      .legal_basis =
          "UU No. 6 Tahun 2023 tentang Cipta Kerja dan peraturan pelaksanaannya tentang perizinan "
          "berusaha berbasis risiko; Perpres No. 97 Tahun 2014 tentang Penyelenggaraan Pelayanan "
          "Terpadu Satu Pintu; UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi",
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
      .privacy_notice =
          {.data_items =
               {{"Nama dan alamat wajib pajak", "The taxpayer's name and address"},
                {"NIK atau NPWP wajib pajak", "The taxpayer's NIK or tax number (NPWP)"},
                {"Nomor Objek Pajak (NOP), letak, serta luas tanah dan bangunan",
                 "Tax object number (NOP), location, and the area of the land and buildings"},
                {"Tagihan, kode billing, dan riwayat pembayaran",
                 "Bills, billing codes and payment history"},
                {"Nomor telepon atau email, bila Anda meminta pengingat",
                 "Phone number or email, if you ask for reminders"}},
           .purpose = {"Untuk menetapkan dan menagih PBB-P2, membuat kode billing, mencatat "
                       "pembayaran, dan menerbitkan bukti bayar. Data objek pajak juga dipakai "
                       "untuk memperbarui basis data PBB-P2 kota.",
                       "To assess and bill the land and building tax (PBB-P2), create billing "
                       "codes, record payments and issue receipts. Tax object data is also used to "
                       "keep the city's PBB-P2 database up to date."},
           .recipients =
               {"Petugas Bapenda Kota Madiun yang menangani PBB-P2. Bank atau kanal pembayaran "
                "yang Anda pilih menerima kode billing, nama wajib pajak, dan jumlah tagihan untuk "
                "memproses pembayaran. Pemeriksa keuangan negara (BPK) dan aparat penegak hukum "
                "dapat menerima data bila diminta sesuai undang-undang.",
                "Bapenda Madiun officers who handle PBB-P2. The bank or payment channel you choose "
                "receives the billing code, the taxpayer's name and the amount to process the "
                "payment. The state audit board (BPK) and law enforcement may receive data when "
                "they ask for it under the law."},
           .retention = {"Data wajib pajak dan objek pajak disimpan selama objek pajak terdaftar. "
                         "Tagihan dan bukti pembayaran disimpan 10 tahun sebagai arsip keuangan "
                         "daerah, lalu dimusnahkan sesuai jadwal retensi arsip.",
                         "Taxpayer and tax object data is kept while the property is registered. "
                         "Bills and payment receipts are kept for 10 years as regional financial "
                         "records, then destroyed according to the records retention schedule."}},
      .cost_rupiah = 0,
      .processing_days = 0,
      .legal_basis = "UU No. 1 Tahun 2022 tentang Hubungan Keuangan antara Pemerintah Pusat dan "
                     "Pemerintahan Daerah; Perda Kota Madiun tentang Pajak Daerah dan Retribusi "
                     "Daerah; UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi",
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
      .privacy_notice =
          {.data_items =
               {{"Nama dan kontak pelapor (tidak ada bila Anda memilih anonim)",
                 "The reporter's name and contact details (none if you choose to stay anonymous)"},
                {"Isi laporan dan kategori masalah", "What you report and the kind of problem"},
                {"Lokasi masalah: alamat atau titik di peta",
                 "Where the problem is: an address or a point on the map"},
                {"Foto yang Anda unggah (tidak wajib)", "Photos you upload (optional)"},
                {"Penilaian Anda atas jawaban", "Your rating of the answer"}},
           .purpose = {"Untuk meneruskan laporan Anda ke perangkat daerah yang berwenang, "
                       "menindaklanjutinya, mengabari Anda tentang perkembangannya, dan meminta "
                       "penilaian Anda atas penyelesaiannya. Laporan juga dihitung dalam statistik "
                       "pengaduan yang diumumkan tanpa identitas pelapor.",
                       "To send your report to the responsible agency, act on it, keep you "
                       "informed and ask you to rate how it was resolved. Reports are also counted "
                       "in published complaint statistics, without the reporter's identity."},
           .recipients =
               {"Petugas pengelola pengaduan di Diskominfo dan petugas perangkat daerah yang "
                "ditugasi menangani laporan Anda. Isi laporan, lokasi, dan foto dapat ditampilkan "
                "di daftar pengaduan publik, tetapi identitas pelapor tidak pernah ditampilkan. "
                "Bila masalahnya di luar kewenangan pemerintah kota, laporan diteruskan ke "
                "instansi yang berwenang melalui SP4N-LAPOR!.",
                "The complaint officers at Diskominfo and the agency officers assigned to your "
                "report. The report, its location and photos may be shown in the public list of "
                "complaints, but the reporter's identity never is. If the problem is outside the "
                "city government's powers, the report is passed to the responsible institution "
                "through SP4N-LAPOR!."},
           .retention = {"Laporan dan tindak lanjutnya disimpan 5 tahun setelah laporan ditutup "
                         "sebagai arsip pengaduan. Setelah itu identitas pelapor dihapus; "
                         "ringkasan tanpa identitas tetap dipakai untuk statistik.",
                         "Reports and how they were handled are kept for 5 years after the report "
                         "is closed, as the complaints record. After that the reporter's identity "
                         "is deleted; a summary without it is kept for statistics."}},
      .cost_rupiah = 0,
      .processing_days = 5,
      .legal_basis = "UU No. 25 Tahun 2009 tentang Pelayanan Publik; Perpres No. 76 Tahun 2013 "
                     "tentang Pengelolaan Pengaduan Pelayanan Publik; PermenPANRB No. 62 Tahun "
                     "2018 tentang Pedoman Sistem Pengelolaan Pengaduan Pelayanan Publik Nasional; "
                     "UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi",
      .online = true,
      .start_path = "/pengaduan/baru",
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
      .privacy_notice =
          {.data_items = {{"Nama, NIK, tanggal lahir, dan jenis kelamin",
                           "Name, NIK, date of birth and sex"},
                          {"Nomor telepon", "Phone number"},
                          {"Puskesmas atau loket, tanggal, dan jam yang Anda pilih",
                           "The health centre or counter, date and time you chose"},
                          {"Untuk vaksinasi: hasil skrining kesehatan sebelum vaksin, vaksin yang "
                           "diberikan, dan reaksi sesudahnya. Ini data kesehatan, yang menurut UU "
                           "PDP termasuk data pribadi yang bersifat spesifik",
                           "For vaccination: the health screening before the vaccine, the vaccine "
                           "given and any reaction afterwards. This is health data, which the PDP "
                           "Law counts as a specific (sensitive) kind of personal data"}},
           .purpose = {"Untuk memesan dan mengatur janji temu sehingga kuota setiap jadwal tidak "
                       "terlampaui, mengingatkan Anda menjelang jadwal, dan mencatat imunisasi "
                       "dalam rekam medis serta riwayat vaksinasi Anda.",
                       "To book and manage appointments so that no slot goes over its capacity, "
                       "remind you before your appointment, and record the vaccination in your "
                       "medical record and vaccination history."},
           .recipients =
               {"Petugas puskesmas atau loket yang Anda pilih dan petugas Dinas Kesehatan Kota "
                "Madiun yang mengelola jadwal. Data kesehatan hanya dibuka tenaga kesehatan yang "
                "melayani Anda. Catatan imunisasi dilaporkan ke sistem informasi kesehatan "
                "Kementerian Kesehatan sesuai kewajiban pencatatan dan pelaporan imunisasi.",
                "The staff of the health centre or counter you chose and the Madiun Health Office "
                "officers who manage the schedule. Health data is opened only by the health "
                "workers who treat you. Vaccination records are reported to the Ministry of "
                "Health's health information system, as the rules on recording and reporting "
                "immunisation require."},
           .retention =
               {"Data janji temu dihapus 1 tahun setelah tanggal jadwal. Catatan imunisasi adalah "
                "bagian dari rekam medis dan disimpan paling singkat 25 tahun sejak kunjungan "
                "terakhir (Permenkes No. 24 Tahun 2022).",
                "Appointment data is deleted 1 year after the appointment date. Vaccination "
                "records are part of your medical record and are kept for at least 25 years after "
                "your last visit (Minister of Health Regulation No. 24 of 2022)."}},
      .cost_rupiah = 0,
      .processing_days = 0,
      .legal_basis = "UU No. 17 Tahun 2023 tentang Kesehatan; Permenkes No. 12 Tahun 2017 tentang "
                     "Penyelenggaraan Imunisasi; Permenkes No. 24 Tahun 2022 tentang Rekam Medis; "
                     "UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi",
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
      .legal_basis = "UU No. 22 Tahun 2009 tentang Lalu Lintas dan Angkutan Jalan",
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
      .legal_basis = "Perpres No. 95 Tahun 2018 tentang Sistem Pemerintahan Berbasis Elektronik",
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
      .privacy_notice =
          {.data_items = {{"Layanan yang Anda nilai dan tanggal selesainya",
                           "The service you rate and when it was finished"},
                          {"Jawaban Anda atas sembilan unsur survei dan saran tertulis",
                           "Your answers on the nine survey elements and any written suggestions"},
                          {"Profil responden: usia, jenis kelamin, pendidikan, dan pekerjaan "
                           "(boleh tidak diisi)",
                           "Respondent profile: age, sex, education and occupation (optional)"}},
           .purpose = {"Untuk mengukur kepuasan masyarakat atas setiap layanan, menghitung Indeks "
                       "Kepuasan Masyarakat (IKM), dan memperbaiki layanan. Akun Anda dipakai "
                       "hanya untuk memastikan satu penilaian untuk satu layanan yang selesai.",
                       "To measure public satisfaction with each service, calculate the "
                       "satisfaction index (IKM) and improve services. Your account is used only "
                       "to make sure there is one rating per finished service."},
           .recipients =
               {"Tim survei di Bagian Organisasi Sekretariat Daerah mengolah jawaban. Petugas "
                "layanan yang dinilai dan masyarakat hanya melihat hasil gabungan, yaitu IKM dan "
                "saran tanpa identitas, dan tidak pernah melihat siapa yang menilai.",
                "The survey team of the Organisation Bureau, Regional Secretariat, processes the "
                "answers. The officers of the rated service and the public see only combined "
                "results, the IKM and suggestions without names, and never who gave a rating."},
           .retention = {"Hubungan antara jawaban dan akun Anda dihapus setelah periode survei "
                         "ditutup. Jawaban tanpa identitas disimpan 2 tahun untuk perbandingan "
                         "antarperiode; IKM dan hasil gabungan disimpan permanen.",
                         "The link between your answers and your account is deleted when the "
                         "survey period closes. Answers without identity are kept for 2 years to "
                         "compare periods; the IKM and combined results are kept permanently."}},
      .cost_rupiah = 0,
      .processing_days = 0,
      .legal_basis = "UU No. 25 Tahun 2009 tentang Pelayanan Publik; PermenPANRB No. 14 Tahun 2017 "
                     "tentang Pedoman Penyusunan Survei Kepuasan Masyarakat Unit Penyelenggara "
                     "Pelayanan Publik; UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi",
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
      .privacy_notice =
          {.data_items = {{"Nama, tempat dan tanggal lahir, serta jenis kelamin anak",
                           "The child's name, place and date of birth, and sex"},
                          {"Keterangan kelahiran: jenis kelahiran, kelahiran ke berapa, penolong "
                           "kelahiran, berat dan panjang bayi",
                           "Birth details: single or multiple birth, birth order, who assisted the "
                           "birth, the baby's weight and length"},
                          {"NIK, nama, dan kewarganegaraan ayah dan ibu",
                           "The father's and mother's NIK, names and nationality"},
                          {"Nomor Kartu Keluarga (KK)", "Family card (KK) number"},
                          {"Nomor buku nikah atau akta perkawinan orang tua",
                           "The number of the parents' marriage book or certificate"},
                          {"NIK dan nama pelapor serta saksi",
                           "NIK and names of the person reporting the birth and of the witnesses"},
                          {"Dokumen yang Anda unggah, seperti surat keterangan lahir",
                           "Documents you upload, such as the birth statement"}},
           .purpose =
               {"Untuk mencatat kelahiran dalam register akta kelahiran, menerbitkan akta "
                "kelahiran, dan menambahkan anak ke Kartu Keluarga, sebagaimana diwajibkan "
                "undang-undang administrasi kependudukan. Akta kelahiran adalah bukti sah "
                "identitas dan asal-usul anak.",
                "To record the birth in the birth register, issue the birth certificate and add "
                "the child to the family card, as the population administration law requires. The "
                "birth certificate is the legal proof of the child's identity and parentage."},
           .recipients =
               {"Petugas pencatatan sipil Disdukcapil Kota Madiun yang memproses permohonan dan "
                "pejabat pencatatan sipil yang menandatangani akta. Data kelahiran masuk ke basis "
                "data kependudukan nasional (SIAK) yang dikelola Direktorat Jenderal Kependudukan "
                "dan Pencatatan Sipil Kementerian Dalam Negeri. Instansi lain hanya dapat memakai "
                "data kependudukan melalui hak akses yang diberikan Kementerian Dalam Negeri "
                "sesuai peraturan, tidak melalui portal ini.",
                "The civil registration officers of Disdukcapil Madiun who process the "
                "application, and the civil registrar who signs the certificate. The birth is "
                "entered in the national population database (SIAK) run by the Directorate General "
                "of Population and Civil Registration, Ministry of Home Affairs. Other "
                "institutions can use population data only through access rights granted by the "
                "Ministry of Home Affairs under the regulations, never through this portal."},
           .retention =
               {"Register kelahiran dan akta kelahiran adalah dokumen kependudukan yang disimpan "
                "secara permanen. Dokumen yang Anda unggah disimpan sebagai arsip permohonan "
                "selama 5 tahun, lalu dimusnahkan sesuai jadwal retensi arsip.",
                "The birth register and the certificate are population records kept permanently. "
                "The documents you upload are kept as the application file for 5 years, then "
                "destroyed according to the records retention schedule."}},
      .cost_rupiah = 0,
      .processing_days = 3,
      .legal_basis = "UU No. 23 Tahun 2006 jo. UU No. 24 Tahun 2013 tentang Administrasi "
                     "Kependudukan; Perpres No. 96 Tahun 2018 tentang Persyaratan dan Tata Cara "
                     "Pendaftaran Penduduk dan Pencatatan Sipil; Permendagri No. 108 Tahun 2019; "
                     "UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi",
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
      .privacy_notice =
          {.data_items = {{"Data akun Anda, yang ditampilkan kembali hanya kepada Anda",
                           "Your account data, shown back to you alone"},
                          {"Permintaan Anda: perbaikan, penghapusan, penarikan persetujuan, atau "
                           "keberatan, beserta alasan dan lampirannya",
                           "Your requests: correction, deletion, withdrawal of consent or "
                           "objection, with reasons and attachments"},
                          {"Catatan setiap unduhan salinan data Anda",
                           "A record of every download of a copy of your data"}},
           .purpose = {"Untuk menunjukkan kepada Anda data yang disimpan tentang Anda dan setiap "
                       "akses petugas terhadapnya, menyiapkan salinan yang dapat Anda unduh, dan "
                       "memproses permintaan Anda sesuai hak subjek data pribadi dalam UU PDP.",
                       "To show you the data held about you and every access to it by an officer, "
                       "prepare a copy you can download, and handle your requests under the data "
                       "subject rights of the PDP Law."},
           .recipients =
               {"Hanya Anda yang melihat halaman Data Saya. Permintaan Anda ditangani petugas "
                "pelindungan data pribadi pemerintah kota dan diteruskan kepada perangkat daerah "
                "yang menyimpan data tersebut. Auditor internal dapat memeriksa bahwa permintaan "
                "ditangani dengan benar.",
                "Only you see your My Data page. Your requests are handled by the city "
                "government's personal data protection officer and passed to the agency that holds "
                "the data. Internal auditors may check that requests were handled properly."},
           .retention = {"Permintaan dan jawabannya disimpan 5 tahun sebagai bukti pemenuhan hak "
                         "Anda, lalu dihapus.",
                         "Requests and their answers are kept for 5 years as proof that your "
                         "rights were met, then deleted."}},
      .cost_rupiah = 0,
      .processing_days = 3,
      .legal_basis = "UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi",
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

"""What the demo feed draws from: the mix of categories, channels, priorities and satisfaction scores by kind of
regency, and the streets, villages and request titles it writes."""

from __future__ import annotations

CATEGORY_WEIGHTS = {
    "jalan_jembatan": 16,
    "sampah_kebersihan": 14,
    "air_bersih": 10,
    "kependudukan": 10,
    "kesehatan": 9,
    "penerangan_jalan": 8,
    "bantuan_sosial": 8,
    "banjir_drainase": 7,
    "pendidikan": 6,
    "perizinan": 4,
    "ketertiban_umum": 4,
    "transportasi": 4,
}


# Cities report more through apps and social media; regencies more by SMS, WhatsApp, phone and in person.
CHANNEL_WEIGHTS = {
    "kota": {"web": 15, "app": 30, "sms": 3, "whatsapp": 8, "call_centre": 15, "social_media": 21, "walk_in": 8},
    "kabupaten": {
        "web": 10,
        "app": 17,
        "sms": 10,
        "whatsapp": 12,
        "call_centre": 20,
        "social_media": 13,
        "walk_in": 18,
    },
}


PRIORITY_WEIGHTS = {"low": 12, "normal": 70, "high": 13, "urgent": 5}


SATISFACTION_WEIGHTS = {1: 5, 2: 8, 3: 20, 4: 37, 5: 30}


STREETS = [
    "Jl. Sudirman", "Jl. Gatot Subroto", "Jl. Diponegoro", "Jl. Imam Bonjol", "Jl. Ahmad Yani",
    "Jl. Sisingamangaraja", "Jl. Sutomo", "Jl. Merdeka", "Jl. Pemuda", "Jl. Kartini", "Jl. Pahlawan",
    "Jl. Cut Nyak Dhien", "Jl. Veteran", "Jl. Pattimura", "Jl. Hasanuddin",
]  # fmt: skip


VILLAGES = [
    "Sukamaju", "Sidorejo", "Tanjung Sari", "Bandar Baru", "Suka Damai", "Pasar Lama", "Kampung Baru",
    "Sidomulyo", "Harapan Jaya", "Sumber Rejo", "Mekar Sari", "Karya Jaya",
]  # fmt: skip


TITLES = {
    "jalan_jembatan": [
        "Jalan berlubang di {street}", "Jembatan penghubung rusak di {place}",
        "Aspal mengelupas sepanjang {street}", "Longsor menutup badan jalan di {place}",
    ],
    "sampah_kebersihan": [
        "Sampah menumpuk di {street}", "Truk sampah tidak datang tiga hari di {place}",
        "Pembuangan sampah liar di {place}", "Bau menyengat dari TPS di {street}",
    ],
    "air_bersih": [
        "Air mati sejak pagi di {place}", "Air keruh dan berbau di {place}", "Pipa bocor di {street}",
        "Tekanan air sangat kecil di {place}",
    ],
    "penerangan_jalan": [
        "Lampu jalan padam di {street}", "Tiang lampu miring di {street}",
        "Lampu jalan menyala siang hari di {street}",
    ],
    "banjir_drainase": [
        "Banjir setinggi lutut di {place}", "Parit tersumbat di {street}",
        "Drainase meluap saat hujan di {street}", "Genangan tidak surut di {place}",
    ],
    "kesehatan": [
        "Antrean panjang di Puskesmas {village}", "Obat kosong di Puskesmas {village}",
        "Pasien BPJS ditolak di RSUD", "Ambulans terlambat datang di {place}",
        "Kasus demam berdarah di {place}, mohon pengasapan",
    ],
    "pendidikan": [
        "Atap kelas bocor di SD Negeri {number} {village}", "Pungutan liar di sekolah di {place}",
        "Dana BOS belum cair di SD Negeri {number} {village}", "Guru jarang hadir di SD Negeri {number} {village}",
    ],
    "kependudukan": [
        "KTP elektronik belum dicetak sejak {number} bulan", "Akta kelahiran belum terbit",
        "Data Kartu Keluarga salah", "Blanko KTP habis di kantor camat", "Pindah domisili belum diproses",
    ],
    "bantuan_sosial": [
        "Bantuan PKH belum diterima warga {place}", "BLT tidak tepat sasaran di {place}",
        "Beras bantuan belum dibagikan di {place}", "Lansia belum terdaftar DTKS di {place}",
    ],
    "perizinan": [
        "Nomor Induk Berusaha belum terbit", "Persetujuan Bangunan Gedung lama diproses",
        "Izin reklame belum dijawab", "Sertifikat laik fungsi tertunda",
    ],
    "ketertiban_umum": [
        "Pedagang kaki lima menutup trotoar di {street}", "Parkir liar di {street}",
        "Kebisingan tempat hiburan malam di {place}", "Bangunan liar di bantaran sungai {place}",
    ],
    "transportasi": [
        "Lampu lalu lintas mati di simpang {street}", "Kemacetan parah di {street}",
        "Angkot berhenti sembarangan di {street}", "Halte rusak di {street}",
    ],
}  # fmt: skip

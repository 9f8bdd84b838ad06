"""The word lists the name and text readers use (:mod:`catalog.analysis.text`): Indonesian
government boilerplate, stopwords, channel, technology, capability and website words, unit
types, affixes. Each list says in a comment why its words are there; change one only
with a test that shows the case it decides.
"""

from __future__ import annotations


def _word_set(text: str) -> frozenset[str]:
    """A set of words written as one string, as the lists below read best."""
    return frozenset(text.split())


# Words that say "this is an application" or "this is a government", not what it does.
# ("Perangkat" is not one: "e-Kinerja Perangkat Daerah" is the OPDs' performance system,
# not the employees' e-Kinerja; "lunak" alone carries "perangkat lunak", software.)
BOILERPLATE = _word_set(
    """
    sistem system sistim informasi information aplikasi application app apps apk software
    lunak program modul module e el elektronik electronic online daring digital
    virtual smart cyber berbasis based terpadu terintegrasi integrated terpusat versi
    version v web website webapp situs site portal mobile android ios iphone desktop
    manajemen management si sim sis pengelolaan layanan pelayanan service services
    kota kabupaten kab kabupaten provinsi prov propinsi pemerintah pemerintahan pemkot pemkab
    pemprov pemda daerah regional dinas badan kantor bagian bag biro bidang bid seksi subbag
    sekretariat
    setda upt uptd unit opd skpd dan atau untuk di ke dari dengan the of and for on yang
    baru new dashboard
    """
)
# Words that carry no meaning in a description or function text.
STOPWORDS = _word_set(
    """
    yang dan atau di ke dari untuk dengan dalam pada oleh serta secara ini itu adalah
    sebagai agar bagi para setiap seluruh semua akan dapat bisa sudah telah juga tersebut
    melalui terhadap antara tentang karena lebih masih hanya sampai hingga mulai per se
    nya ada tidak belum bahwa sehingga maupun baik hal merupakan berupa yaitu antara lain
    kami kita mereka anda sesuai guna dll dsb utk dgn yg tsb tiap suatu sebuah satu
    the of and for to in on with by a an is are be as at from this that
    aplikasi sistem informasi system application website web online daring elektronik
    digunakan menggunakan berfungsi fungsi memudahkan mempermudah membantu digunakannya
    kota kabupaten provinsi pemerintah daerah dinas badan bagian
    """
)
# Words that name a channel of a product rather than a product.
CHANNEL_WORDS = _word_set(
    "mobile android ios iphone ipad apk app apps playstore web website webapp versi"
)
# Technologies, not jobs: two names that share only "GIS" say how, not what for ("WEB GIS"
# of the land office, "GIS Berbasis Android" of Diskominfo).
TECHNOLOGY_WORDS = _word_set("gis sig webgis server database cloud")
# Shared capabilities: tools any unit may need whatever its job, named by the tool. Their
# copies are described by what each unit uses them for ("SMS Gateway": tax notices at
# Bapenda, patient messages at the hospital), so two descriptions that share nothing do
# not make them different jobs: one gateway or queue could serve every unit.
CAPABILITY_WORDS = _word_set("sms gateway whatsapp notifikasi antrian helpdesk")
# A name made of these and its unit's name only ("Website Dinkes", "Web Kecamatan Sumerta")
# is a unit's website: the same capability as the instansi's portal. A unit's website is
# often named as its news ("Portal Berita Sabang", "Warta Kecamatan X"), as official
# ("Website Resmi"), or by the shared CMS its pages are on ("CMS Portal OPD").
SITE_WORDS = _word_set("website web situs portal laman homepage webportal berita warta resmi cms")
# Unit types whose names are places or facilities: "Kelurahan Sumerta", "Puskesmas
# Penatih", "RSUD Wangaya". What follows the type word is a proper name, noise in an
# application name ("Sistem Informasi Kelurahan Sumerta" is the kelurahan system).
PLACE_UNIT_TYPES = _word_set(
    "kelurahan kecamatan desa kampung nagari gampong puskesmas pustu rsud rsu kel kec"
)
# The lowest units of government, by kind: a desa (kampung, nagari, gampong in some
# provinces) or a kelurahan. "Sistem Informasi Kelurahan" is one job, whether a kelurahan
# runs it for itself ("Sistem Informasi Kelurahan Sumerta") or the city for all of them.
VILLAGE_KINDS = {
    "desa": "desa",
    "kampung": "desa",
    "nagari": "desa",
    "gampong": "desa",
    "kelurahan": "kelurahan",
}
# Programmes named after villages, not their administration: "Desa Wisata", "Kampung KB",
# "Desa Siaga", "Kampung Tangguh".
VILLAGE_PROGRAMMES = _word_set("wisata adat kb tangguh siaga binaan tematik sehat iklim")
# Phrases that, followed by a village word in a description, say the application runs
# the villages' administration: "administrasi Desa/Kelurahan", "Sistem Informasi Desa"
# (not "informasi desa wisata": a tourist village is not its administration).
VILLAGE_JOB_PHRASES = (("administrasi",), ("sistem", "informasi"))
# Words a sub-unit's short name starts with ("Bid. Aset", "Bag. Umum", "Sie. Pelayanan").
SUB_UNIT_WORDS = _word_set("bid bidang bag bagian sie seksi subbag subbid")
PREFIXES = ("meng", "meny", "mem", "men", "me", "peng", "peny", "pem", "pen", "per", "pe", "ber",
            "be", "ter", "di", "ke", "se")  # fmt: skip
SUFFIXES = ("nya", "kan", "an", "i")
# Words that lend no letter to an acronym ("Sistem Informasi Kearsipan dan Arsip": SIKA).
FUNCTION_WORDS = _word_set("dan atau untuk di ke dari dengan yang pada the of and for on")


__all__ = [
    "BOILERPLATE",
    "CAPABILITY_WORDS",
    "CHANNEL_WORDS",
    "FUNCTION_WORDS",
    "PLACE_UNIT_TYPES",
    "PREFIXES",
    "SITE_WORDS",
    "STOPWORDS",
    "SUB_UNIT_WORDS",
    "SUFFIXES",
    "TECHNOLOGY_WORDS",
    "VILLAGE_JOB_PHRASES",
    "VILLAGE_KINDS",
    "VILLAGE_PROGRAMMES",
]

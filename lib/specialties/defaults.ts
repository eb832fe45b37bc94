/**
 * The taxonomy a community starts with: the main clinical fields plus General Practice.
 *
 * Slugs are stable identifiers (links, feeds, group records): never change one here.
 * `title` is the Indonesian specialist title (gelar spesialis) conferred for that field, left
 * out where the field is a subspecialty (conferred as a consultant title of a parent field)
 * or where no settled title exists. Swedish and Dutch names, and the display names in every
 * language, live in the language files as `specialties.name.<slug>`.
 */
export interface DefaultSpecialty {
  readonly slug: string;
  /** English name: also the base of the NodeBB group and category names. */
  readonly en: string;
  /** Indonesian name of the field. */
  readonly id: string;
  /** Indonesian specialist title, e.g. Sp.JP. */
  readonly title?: string;
}

export const DEFAULT_SPECIALTIES: readonly DefaultSpecialty[] = [
  { slug: 'general-practice', en: 'General Practice', id: 'Dokter Umum' },
  { slug: 'family-medicine', en: 'Family Medicine and Primary Care', id: 'Kedokteran Keluarga Layanan Primer', title: 'Sp.KKLP' },
  { slug: 'internal-medicine', en: 'Internal Medicine', id: 'Ilmu Penyakit Dalam', title: 'Sp.PD' },
  { slug: 'cardiology', en: 'Cardiology', id: 'Jantung dan Pembuluh Darah', title: 'Sp.JP' },
  { slug: 'paediatrics', en: 'Paediatrics', id: 'Ilmu Kesehatan Anak', title: 'Sp.A' },
  { slug: 'obstetrics-gynaecology', en: 'Obstetrics and Gynaecology', id: 'Obstetri dan Ginekologi', title: 'Sp.OG' },
  { slug: 'general-surgery', en: 'General Surgery', id: 'Ilmu Bedah', title: 'Sp.B' },
  { slug: 'anaesthesiology', en: 'Anaesthesiology and Intensive Care', id: 'Anestesiologi dan Terapi Intensif', title: 'Sp.An' },
  { slug: 'radiology', en: 'Radiology', id: 'Radiologi', title: 'Sp.Rad' },
  { slug: 'neurology', en: 'Neurology', id: 'Neurologi', title: 'Sp.N' },
  { slug: 'psychiatry', en: 'Psychiatry', id: 'Kedokteran Jiwa (Psikiatri)', title: 'Sp.KJ' },
  { slug: 'ophthalmology', en: 'Ophthalmology', id: 'Oftalmologi (Ilmu Kesehatan Mata)', title: 'Sp.M' },
  { slug: 'otorhinolaryngology', en: 'Otorhinolaryngology – Head and Neck Surgery', id: 'Telinga Hidung Tenggorok – Bedah Kepala Leher', title: 'Sp.THT-BKL' },
  { slug: 'dermatology', en: 'Dermatology, Venereology and Aesthetics', id: 'Dermatologi, Venereologi dan Estetika', title: 'Sp.DVE' },
  { slug: 'pulmonology', en: 'Pulmonology and Respiratory Medicine', id: 'Pulmonologi dan Kedokteran Respirasi', title: 'Sp.P' },
  { slug: 'urology', en: 'Urology', id: 'Urologi', title: 'Sp.U' },
  { slug: 'orthopaedics', en: 'Orthopaedics and Traumatology', id: 'Orthopaedi dan Traumatologi', title: 'Sp.OT' },
  { slug: 'neurosurgery', en: 'Neurosurgery', id: 'Bedah Saraf', title: 'Sp.BS' },
  { slug: 'anatomical-pathology', en: 'Anatomical Pathology', id: 'Patologi Anatomik', title: 'Sp.PA' },
  { slug: 'clinical-pathology', en: 'Clinical Pathology', id: 'Patologi Klinik', title: 'Sp.PK' },
  { slug: 'forensic-medicine', en: 'Forensic and Medicolegal Medicine', id: 'Kedokteran Forensik dan Medikolegal', title: 'Sp.FM' },
  { slug: 'rehabilitation-medicine', en: 'Physical Medicine and Rehabilitation', id: 'Kedokteran Fisik dan Rehabilitasi', title: 'Sp.KFR' },
  { slug: 'clinical-microbiology', en: 'Clinical Microbiology', id: 'Mikrobiologi Klinik', title: 'Sp.MK' },
  { slug: 'clinical-nutrition', en: 'Clinical Nutrition', id: 'Gizi Klinik', title: 'Sp.GK' },
  { slug: 'occupational-medicine', en: 'Occupational Medicine', id: 'Kedokteran Okupasi', title: 'Sp.Ok' },
  { slug: 'emergency-medicine', en: 'Emergency Medicine', id: 'Kedokteran Emergensi', title: 'Sp.EM' },
  { slug: 'plastic-surgery', en: 'Plastic, Reconstructive and Aesthetic Surgery', id: 'Bedah Plastik Rekonstruksi dan Estetik', title: 'Sp.BP-RE' },
  { slug: 'paediatric-surgery', en: 'Paediatric Surgery', id: 'Bedah Anak', title: 'Sp.BA' },
  { slug: 'cardiothoracic-surgery', en: 'Thoracic, Cardiac and Vascular Surgery', id: 'Bedah Toraks, Kardiak dan Vaskular', title: 'Sp.BTKV' },
  { slug: 'nuclear-medicine', en: 'Nuclear Medicine', id: 'Kedokteran Nuklir', title: 'Sp.KN' },
  { slug: 'radiation-oncology', en: 'Radiation Oncology', id: 'Onkologi Radiasi', title: 'Sp.Onk.Rad' },
  { slug: 'clinical-pharmacology', en: 'Clinical Pharmacology', id: 'Farmakologi Klinik', title: 'Sp.FK' },
  { slug: 'andrology', en: 'Andrology', id: 'Andrologi', title: 'Sp.And' },
  { slug: 'sports-medicine', en: 'Sports Medicine', id: 'Kedokteran Olahraga', title: 'Sp.KO' },
  { slug: 'aviation-medicine', en: 'Aviation Medicine', id: 'Kedokteran Penerbangan', title: 'Sp.KP' },
  { slug: 'medical-acupuncture', en: 'Medical Acupuncture', id: 'Akupunktur Medik', title: 'Sp.Ak' },
  { slug: 'clinical-parasitology', en: 'Clinical Parasitology', id: 'Parasitologi Klinik' },
  { slug: 'gastroenterology', en: 'Gastroenterology and Hepatology', id: 'Gastroenterologi-Hepatologi' },
  { slug: 'nephrology', en: 'Nephrology', id: 'Ginjal dan Hipertensi' },
  { slug: 'endocrinology', en: 'Endocrinology and Metabolism', id: 'Endokrinologi, Metabolik dan Diabetes' },
  { slug: 'haematology-oncology', en: 'Haematology and Medical Oncology', id: 'Hematologi-Onkologi Medik' },
  { slug: 'rheumatology', en: 'Rheumatology', id: 'Reumatologi' },
  { slug: 'infectious-diseases', en: 'Infectious Diseases', id: 'Penyakit Tropik dan Infeksi' },
  { slug: 'geriatrics', en: 'Geriatrics', id: 'Geriatri' },
  { slug: 'allergy-immunology', en: 'Allergy and Clinical Immunology', id: 'Alergi dan Imunologi Klinik' },
  { slug: 'neonatology', en: 'Neonatology', id: 'Neonatologi' },
  { slug: 'intensive-care', en: 'Intensive Care Medicine', id: 'Kedokteran Intensif' },
  { slug: 'surgical-oncology', en: 'Surgical Oncology', id: 'Bedah Onkologi' },
  { slug: 'digestive-surgery', en: 'Digestive Surgery', id: 'Bedah Digestif' },
  { slug: 'vascular-surgery', en: 'Vascular Surgery', id: 'Bedah Vaskular' },
  { slug: 'palliative-medicine', en: 'Palliative Medicine', id: 'Kedokteran Paliatif' },
  { slug: 'pain-medicine', en: 'Pain Medicine', id: 'Manajemen Nyeri' },
  { slug: 'medical-genetics', en: 'Clinical Genetics', id: 'Genetika Klinik' },
  { slug: 'public-health', en: 'Public Health and Community Medicine', id: 'Kesehatan Masyarakat dan Kedokteran Komunitas' },
];

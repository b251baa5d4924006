// Page texts for the levers: labels, Chinese terms, slider ranges and longer explanations.
// The model's own metadata (`levers()`: key, kind, allowed, unit, group, meaning, default)
// stays the source of truth for keys, types and validity; this file only adds what a
// lecturer needs to read on a projector. A key missing here still gets a working control.

/** Stakeholder groups, in display order, with their headings. */
export const GROUPS = [
  { id: 'insurer', title: 'Insurer', zh: '医保', blurb: 'What the fund pays, and how.' },
  { id: 'hospitals', title: 'Hospitals and consortium', zh: '医院与医联体', blurb: 'How tightly facilities work together.' },
  { id: 'doctors', title: 'Doctors', zh: '医生', blurb: 'What doctors are rewarded for and may prescribe.' },
  { id: 'patients', title: 'Patients and public', zh: '患者与公众', blurb: 'Where residents may go first, and what they know.' },
];

/** Slider ranges by lever kind; per-key entries below override them. */
export const KIND_RANGES = {
  share: { min: 0, max: 1, step: 0.01, digits: 2 },
  yuan: { min: 0, max: 500, step: 10, digits: 0 },
  multiplier: { min: 0.5, max: 2, step: 0.05, digits: 2 },
};

/**
 * Per-lever texts. `help` is the tooltip and accessible description; `choices` labels the
 * options of a select (the value sent to the model is always the key).
 */
export const LEVER_NOTES = {
  reimbursement_primary: {
    label: 'Reimbursement, primary',
    zh: '基层报销比例',
    help: 'Share of a bill at a community or township health centre that the insurer pays; the patient pays the rest out of pocket. A wider gap in favour of primary care makes it cheaper to start there, but price matters less while patients doubt primary quality.',
  },
  reimbursement_secondary: {
    label: 'Reimbursement, secondary',
    zh: '二级报销比例',
    help: 'Share of a bill at a district or county hospital that the insurer pays.',
  },
  reimbursement_tertiary: {
    label: 'Reimbursement, tertiary',
    zh: '三级报销比例',
    help: 'Share of a bill at a city (tertiary) hospital that the insurer pays. Lowering it widens the reimbursement gap that steers patients down the tiers.',
  },
  payment_method: {
    label: 'Payment method',
    zh: '支付方式',
    help: 'How the insurer pays providers. Fee-for-service rewards volume; a global budget or capitation fixes the money in advance, so keeping patients healthy and treating them at the cheapest tier pays; DRG pays a fixed amount per admission by tier and severity.',
    choices: {
      fee_for_service: 'Fee-for-service 按项目付费',
      global_budget: 'Global budget 总额预付',
      capitation: 'Capitation 按人头付费',
      drg: 'DRG case payment 按病种付费',
    },
  },
  integration: {
    label: 'Consortium integration',
    zh: '医联体紧密度',
    help: 'How tightly the consortium is bound. Loose: technical help only, separate finances. Semi-close: shared management. Close: one legal entity with pooled finances ("one pot"), so a hospital no longer loses money when it refers a patient down.',
    choices: {
      loose: 'Loose 松散型',
      semi_close: 'Semi-close 半紧密型',
      close: 'Close, pooled finances 紧密型',
    },
  },
  info_sharing: {
    label: 'Information sharing',
    zh: '信息共享与检查互认',
    unit: '0 none … 1 full',
    help: 'Interoperable health records and mutual recognition of test results: fewer duplicate tests, smoother referrals, better diagnosis at primary centres.',
  },
  specialist_outreach: {
    label: 'Specialist outreach',
    zh: '专家下沉',
    help: 'Share of tertiary specialists\u2019 time spent seeing patients in primary centres ("sending doctors down"). Raises primary capability and trust, but takes capacity from the tertiary hospital.',
  },
  referral_bonus: {
    label: 'Downward-referral bonus',
    zh: '下转奖励',
    help: 'Appraisal reward paid to a doctor for each appropriate downward referral of a recovering or chronic patient to primary care.',
    range: { min: 0, max: 500, step: 10, digits: 0 },
  },
  gatekeeping: {
    label: 'Gatekeeping',
    zh: '基层首诊',
    help: 'First-contact rules. None: patients go where they like. Soft: lower reimbursement when bypassing primary care. Strict: a referral is required for reimbursed secondary and tertiary care (emergencies exempt).',
    choices: {
      none: 'None 无约束',
      soft: 'Soft: lower reimbursement if bypassed 软约束',
      strict: 'Strict: referral required 严格首诊',
    },
  },
  awareness_campaign: {
    label: 'Awareness campaign',
    zh: '分级诊疗宣传',
    unit: '0 none … 1 intensive',
    help: 'Intensity of public information on tiered care (0 none, 1 intensive). Raises trust in primary care and the acceptance of downward referrals.',
  },
  unified_drug_list: {
    label: 'Unified drug list',
    zh: '统一用药目录',
    help: 'When on, primary centres may prescribe what hospitals prescribe, so chronic patients need not go to a hospital for their medicines.',
  },
  family_doctor_coverage: {
    label: 'Family-doctor coverage',
    zh: '家庭医生签约率',
    help: 'Share of residents contracted with a primary-care family doctor team. Contracted residents start at primary care more often and trust it more.',
  },
  primary_investment: {
    label: 'Primary-care investment',
    zh: '基层能力建设投入',
    help: 'Training and equipment money, in yuan per resident per year, that slowly raises the capability of primary centres.',
    range: { min: 0, max: 200, step: 5, digits: 0 },
  },
  tertiary_capacity: {
    label: 'Tertiary capacity',
    zh: '三级医院规模',
    help: 'Tertiary beds and outpatient slots as a multiple of today\u2019s (1 = baseline). Expanding the big hospitals shortens their queues, which pulls patients up the tiers (the "siphon effect", 虹吸效应).',
    range: { min: 0.5, max: 2, step: 0.05, digits: 2 },
  },
};

/** Labels of the structural settings. */
export const SETTING_NOTES = {
  population: { label: 'Residents', zh: '人口', help: 'Residents of the synthetic region. Facilities scale with it (about 9 primary centres, 3 secondary and 2 tertiary hospitals per 100,000). Large regions run more slowly but never freeze the page.' },
  years: { label: 'Years', zh: '年', help: 'Simulated horizon in years (1 to 50; 1 to 10 is typical).' },
  seed: { label: 'Seed', zh: '随机种子', help: 'Random seed. The same seed and settings give the same run, here and in the command-line tool.' },
  urban_share: { label: 'Urban share', zh: '城镇人口比例', help: 'Share of residents living in the urban core (0 to 1). Presets set it; a county is mostly rural.' },
};

/** Population choices offered in the select (a link may add another value). */
export const POPULATION_CHOICES = [10_000, 50_000, 100_000, 250_000, 500_000, 1_000_000];

/** Short names and longer explanations of the presets, keyed by preset name. */
export const PRESET_LABELS = {
  status_quo: 'Status quo 现状',
  close_consortium: 'Close consortium 紧密型医联体',
  county_community: 'County medical community 县域医共体',
  gatekeeping: 'Gatekeeping 基层首诊',
  outreach_only: 'Outreach only 仅专家下沉',
};

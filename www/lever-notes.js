// Page texts for the levers: labels, Chinese terms, slider ranges and longer explanations.
// The model's own metadata (`levers()`: key, kind, allowed, unit, group, meaning, default)
// stays the source of truth for keys, types and validity; this file only adds what a
// lecturer needs to read on a projector. A key missing here still gets a working control.

/** Stakeholder groups, in display order, with their headings. */
export const GROUPS = [
  { id: 'insurer', title: 'Insurer', zh: '医保', blurb: 'What the fund pays, and how.' },
  { id: 'hospitals', title: 'Hospitals and consortium', zh: '医院与医联体', blurb: 'How tightly facilities work together, and what the health commission pays for and appraises.' },
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
    help: 'Share of a bill at a community or township health centre that the insurer pays; the patient pays the rest out of pocket. A wider gap in favour of primary care makes it cheaper to start there, but only residents who know the rules see the gap (the others expect the average rate everywhere; see the awareness campaign), and price matters less while patients doubt primary quality. What care costs out of pocket also decides whether people seek care at all (forgone care).',
  },
  reimbursement_secondary: {
    label: 'Reimbursement, secondary',
    zh: '二级报销比例',
    help: 'Share of a bill at a district or county hospital that the insurer pays.',
  },
  reimbursement_tertiary: {
    label: 'Reimbursement, tertiary',
    zh: '三级报销比例',
    help: 'Share of a bill at a city (tertiary) hospital that the insurer pays. Lowering it widens the reimbursement gap that steers informed patients down the tiers, and makes a transfer down to primary care save more for a recovering patient.',
  },
  payment_method: {
    label: 'Payment method',
    zh: '支付方式',
    help: 'How the insurer pays providers. Fee-for-service pays every service at list price, so volume pays. A global budget is set from each facility\u2019s claims of the past year and fixed for a year: what it does not spend it keeps, but saving lowers next year\u2019s budget (the ratchet). Capitation pays each facility a fixed amount per resident of its catchment, whatever it treats. DRG pays a fixed rate per admission by tier and severity (outpatient care by fee). Hospitals learn how far to cooperate from what the method does to their books.',
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
    help: 'How tightly the consortium is bound. Loose: technical help only, separate finances. Semi-close: members pool half of each month\u2019s result. Close: one legal entity that pools all of it ("one pot"), and doctors are paid for work and downward referrals rather than for the revenue they bring. A pooled surplus is shared partly by running costs and partly by tiered-care points (referrals made and received, specialist days sent or hosted); a deficit by running costs only. Whether hospitals then cooperate is learned from their books, not assumed.',
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
    help: 'Interoperable health records and mutual recognition of test results, used as far as each facility cooperates: fewer repeated tests when a patient moves, more referrals up through the formal channel, better diagnosis at primary centres and safer take-over of recovering patients. Keeping records shared costs the facilities a little.',
  },
  specialist_outreach: {
    label: 'Specialist outreach',
    zh: '专家下沉',
    help: 'Share of tertiary specialists\u2019 time spent in primary centres ("sending doctors down"), as far as the tertiary hospital cooperates, received by centres as far as they cooperate. It raises the capability of the centres that host specialists, so patients there fare better and trust them more; the sending hospital loses outpatient capacity at home and is paid a stipend by the health commission for the time sent.',
  },
  referral_bonus: {
    label: 'Downward-referral bonus',
    zh: '下转奖励',
    help: 'Bonus paid by the health commission to a doctor for each downward referral of a recovering or chronic patient to primary care actually made (it adds to government spending). Doctors learn from what referring has brought them, so the bonus weighs against what their own hospital loses when a patient leaves.',
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
    help: 'Intensity of public information on tiered care (0 none, 1 intensive), paid by the health commission. Each month it reaches some residents: they learn the reimbursement rules (so they see what primary care and a transfer down save them), and those who rate primary care below what it really delivers revise their trust toward it. It cannot make primary care look better than it is, and people forget.',
  },
  unified_drug_list: {
    label: 'Unified drug list',
    zh: '统一用药目录',
    help: 'When on, primary centres may prescribe what hospitals prescribe, so chronic patients need not go to a hospital for a drug the centre lacks (an extra visit that leaves them unhappy), and centres can treat a little more.',
  },
  family_doctor_coverage: {
    label: 'Family-doctor coverage',
    zh: '家庭医生签约率',
    help: 'Share of residents contracted with a family-doctor team at their nearest primary centre, which the health commission pays a fee per contracted resident. Contracted residents choose their centre more often, are more often satisfied there and accept a transfer down more readily.',
  },
  primary_investment: {
    label: 'Primary-care investment',
    zh: '基层能力建设投入',
    help: 'Training and equipment money for primary centres, in yuan per resident per year, paid by the health commission. Capability rises toward a higher level over months (it also grows with the centres\u2019 own volume), and patients trust primary care more only as they experience better care.',
    range: { min: 0, max: 200, step: 5, digits: 0 },
  },
  kpi_appraisal: {
    label: 'KPI appraisal',
    zh: '分级诊疗绩效考核',
    unit: '0 none … 1 strong',
    help: 'Strength of the health commission\u2019s appraisal of facilities on tiered-care indicators: hospitals on the share of recovering inpatients they transfer down, primary centres on the share of their residents\u2019 first contacts made at primary care, each against a target. Above the target a facility is rewarded, below it penalised, up to a few per cent of its monthly revenue; penalties offset rewards in government spending, and facilities learn from the result in their books.',
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

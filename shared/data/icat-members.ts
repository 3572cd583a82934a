// ICAT membership as shipped data, seeded on first start. The 2018 membership list; the secretariat
// adds today's other members (about 30 entities) with POST /api/members. Candidate feed URLs were seen
// in public material and none is verified: they are shown to members and admins as suggestions and are
// never polled until someone registers them as a feed. (The UN News feed seen in the same material,
// news.un.org/feed/subscribe/en/news/all/rss.xml, is not a member's own and is left out.)

export interface SeedMember {
  id: string;
  acronym: string;
  name: string;
  website: string;
  candidateFeeds?: string[];
}

export const ICAT_MEMBERS: SeedMember[] = [
  { id: 'coe', acronym: 'CoE', name: 'Council of Europe', website: 'https://www.coe.int' },
  { id: 'cted', acronym: 'CTED', name: 'Counter-Terrorism Committee Executive Directorate', website: 'https://www.un.org/securitycouncil/ctc' },
  { id: 'dpa', acronym: 'DPA', name: 'UN Department of Political Affairs', website: 'https://dppa.un.org' },
  { id: 'dpko', acronym: 'DPKO', name: 'UN Department of Peacekeeping Operations', website: 'https://peacekeeping.un.org' },
  { id: 'icao', acronym: 'ICAO', name: 'International Civil Aviation Organization', website: 'https://www.icao.int' },
  { id: 'icmpd', acronym: 'ICMPD', name: 'International Centre for Migration Policy Development', website: 'https://www.icmpd.org' },
  { id: 'interpol', acronym: 'INTERPOL', name: 'International Criminal Police Organization', website: 'https://www.interpol.int', candidateFeeds: ['https://www.interpol.int/News-and-Events/News/rss.xml'] },
  { id: 'ilo', acronym: 'ILO', name: 'International Labour Organization', website: 'https://www.ilo.org' },
  { id: 'iom', acronym: 'IOM', name: 'International Organization for Migration', website: 'https://www.iom.int', candidateFeeds: ['https://www.iom.int/rss.xml'] },
  { id: 'ohchr', acronym: 'OHCHR', name: 'Office of the UN High Commissioner for Human Rights', website: 'https://www.ohchr.org' },
  { id: 'ogprtop', acronym: 'OGPRtoP', name: 'Office on Genocide Prevention and the Responsibility to Protect', website: 'https://www.un.org/en/genocideprevention' },
  { id: 'osrsg-svc', acronym: 'OSRSG-SVC', name: 'Office of the Special Representative of the Secretary-General on Sexual Violence in Conflict', website: 'https://www.un.org/sexualviolenceinconflict' },
  { id: 'osce', acronym: 'OSCE', name: 'Organization for Security and Co-operation in Europe', website: 'https://www.osce.org' },
  { id: 'unaids', acronym: 'UNAIDS', name: 'Joint United Nations Programme on HIV/AIDS', website: 'https://www.unaids.org' },
  { id: 'undp', acronym: 'UNDP', name: 'United Nations Development Programme', website: 'https://www.undp.org' },
  { id: 'unesco', acronym: 'UNESCO', name: 'United Nations Educational, Scientific and Cultural Organization', website: 'https://www.unesco.org' },
  { id: 'unfpa', acronym: 'UNFPA', name: 'United Nations Population Fund', website: 'https://www.unfpa.org' },
  { id: 'unhcr', acronym: 'UNHCR', name: 'Office of the UN High Commissioner for Refugees', website: 'https://www.unhcr.org' },
  { id: 'unicef', acronym: 'UNICEF', name: "United Nations Children's Fund", website: 'https://www.unicef.org', candidateFeeds: ['https://www.unicef.org/press-releases/rss.xml'] },
  { id: 'unicri', acronym: 'UNICRI', name: 'United Nations Interregional Crime and Justice Research Institute', website: 'https://unicri.org' },
  { id: 'unodc', acronym: 'UNODC', name: 'United Nations Office on Drugs and Crime (ICAT coordinator)', website: 'https://www.unodc.org', candidateFeeds: ['https://www.unodc.org/unodc/en/rss/news.xml'] },
  { id: 'unwomen', acronym: 'UN Women', name: 'United Nations Entity for Gender Equality and the Empowerment of Women', website: 'https://www.unwomen.org' },
  { id: 'worldbank', acronym: 'World Bank', name: 'World Bank Group', website: 'https://www.worldbank.org' },
];

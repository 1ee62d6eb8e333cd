"""Demo content for the European conference on drug-related violence (Brussels, 26-27 November 2024)."""

from __future__ import annotations

EVENT = {
    "slug": "drug-violence-2024",
    "title": "European conference on drug-related violence",
    "venue": "Brussels, Belgium",
    "starts_on": "2024-11-26",
    "ends_on": "2024-11-27",
    "timezone": "Europe/Brussels",
    "description": (
        "Drug-related violence in the EU comes in many forms and is growing in complexity, "
        "feeding on organised crime in fragile social environments and affecting whole communities. "
        "Organised by the EU Drugs Agency in collaboration with the European Commission, this thematic "
        "conference balances health and security concerns and promotes community safety and public health. "
        "Participants will help develop a plan to expand the monitoring of drug-related violence in the EU "
        "and shape a call for proactive policies and interventions."
    ),
}

DOCUMENTS = [
    {
        "key": "monitoring",
        "kind": "monitoring_plan",
        "title": "Monitoring plan for drug-related violence in the EU",
        "sections": [
            {
                "key": "definitions",
                "title": "Scope and definitions of drug-related violence",
                "paragraphs": [
                    "For the purposes of this plan, drug-related violence is understood as any intentional use of force, threat or intimidation that is connected to the production, trafficking, distribution or consumption of illicit drugs. The definition covers violence between actors in drug markets, violence directed at third parties and public officials, and violence experienced by people who use drugs. It deliberately does not cover all offending committed under the influence of drugs, which is addressed by existing crime and health statistics.",
                    "The plan distinguishes three broad categories: systemic violence arising from the functioning of illicit markets, such as territorial disputes, debt enforcement and retaliation; economic-compulsive violence committed to finance drug use; and psychopharmacological violence linked to the effects of substances. Member States are invited to report against the first category as a priority, as it is the one most closely linked to organised crime and the least visible in current data.",
                    "A common definition must remain workable for police, health services, social services and local authorities, each of which records incidents for different purposes. The plan therefore proposes a minimum shared core, complemented by optional national extensions. Whether intimidation without physical harm, corruption of officials and the exploitation of minors should fall within the core definition, or be monitored separately, remains an open question for this consultation.",
                ],
            },
            {
                "key": "indicators",
                "title": "Core indicators",
                "paragraphs": [
                    "The plan proposes a limited set of core indicators that all Member States would be expected to report annually. These are: homicides and attempted homicides linked to drug markets; shootings and the use of explosives against persons or premises; kidnapping, torture and serious assaults linked to drug debts; and threats and attacks against public officials, including police, customs, judges, lawyers, journalists and port workers.",
                    "A second group of indicators addresses harms to young people and vulnerable groups. It includes the number of minors identified as recruited or exploited in drug distribution, often through social media and messaging applications; emergency department presentations of young people for violent injury where drug market involvement is recorded; and referrals to child protection services in which drug market exploitation is a stated concern.",
                    "Health and community indicators are intended to balance the security focus of the core set. Proposed measures include violence experienced by people who use drugs, violence and aggression against frontline staff in harm reduction, emergency and social services, and resident perceptions of safety in neighbourhoods with open drug markets, drawn from local or national victimisation surveys.",
                    "Each indicator will be accompanied by a technical fact sheet specifying the numerator, the source, the minimum level of geographical breakdown and known limitations. Indicators will be reviewed after two reporting cycles. Participants are asked to consider whether the set is too ambitious for countries with limited data infrastructure, and whether any indicator risks stigmatising particular neighbourhoods or communities.",
                ],
            },
            {
                "key": "data_sources",
                "title": "Data sources and collection",
                "paragraphs": [
                    "No single source captures drug-related violence adequately. The plan therefore relies on a combination of police records and crime statistics, hospital emergency department data, forensic and toxicology findings from post-mortem examinations, prison and probation data, and victimisation surveys. Where available, seizure data from ports, airports and postal hubs will be used as contextual information on market pressure rather than as a direct measure of violence.",
                    "Police records remain the main source for homicides and shootings, but the link to drug markets is often not recorded or is only established months later during investigation. Member States are encouraged to introduce a standard flag for suspected drug market involvement in incident recording systems, to be updated when investigations conclude, and to report both the initial and the confirmed figures.",
                    "Health sources offer a complementary picture, particularly for injuries that never reach the police. Sentinel emergency departments in selected cities could record, with minimal additional burden, whether a violent injury is reported by the patient or staff to be connected to drug supply or debt. Open-source monitoring of media reports, already used in several Member States, may be used to fill gaps, provided that its methodological limits are clearly stated.",
                ],
            },
            {
                "key": "external",
                "title": "Incidents outside the EU that affect the EU",
                "paragraphs": [
                    "Violence linked to drug markets in the EU is increasingly shaped by events elsewhere, including in production and transit countries in Latin America, West Africa and the Western Balkans, and by EU-based criminal networks whose leaders operate from third countries. The plan proposes to monitor a defined set of external incidents that have a demonstrable link to the EU, such as attacks ordered from abroad, violence against port and logistics workers in departure hubs, and the relocation of EU nationals involved in organised crime.",
                    "Information on these incidents would draw on Europol analysis, liaison officers, EU delegations and cooperation with partner countries, as well as structured open-source monitoring. Because the reliability of such information varies considerably, each reported incident should carry a confidence grading. Participants are invited to discuss how far an EU monitoring system should extend beyond its borders without duplicating intelligence work or creating expectations it cannot meet.",
                ],
            },
            {
                "key": "data_sharing",
                "title": "Data sharing, protection and governance",
                "paragraphs": [
                    "Monitoring will be based on aggregated and anonymised data wherever possible. Personal data will only be processed where strictly necessary and in line with the General Data Protection Regulation and the Law Enforcement Directive. The plan does not foresee the creation of a European database of individuals, and data collected for public health purposes will not be transferred to law enforcement authorities for investigative use.",
                    "At national level, each Member State is invited to designate a coordinating body, building on the national focal points of the EU Drugs Agency, which would bring together police, health, justice and social services data under a written data sharing agreement. Where records from different sectors are linked, this should be done through pseudonymisation by a trusted third party, with clear retention periods and independent oversight.",
                    "Data concerning minors, victims and people in treatment require particular safeguards. Frontline services have expressed concern that any perceived link between their records and policing may deter people from seeking help. The governance arrangements should therefore include representatives of health and social services and of civil society, and should be reviewed publicly at regular intervals.",
                ],
            },
            {
                "key": "reporting",
                "title": "Reporting cycle and early warning",
                "paragraphs": [
                    "Core indicators will be reported annually through the existing reporting channels of the EU Drugs Agency and published in a European overview, with a first pilot report based on data for 2025. Country summaries will present trends alongside the main limitations of national data, so that differences in recording practice are not mistaken for differences in the level of violence.",
                    "In addition to the annual cycle, the plan proposes a light early warning function for rapid changes, such as a sudden increase in shootings in a city, new forms of intimidation, or violence linked to a new substance or supply route. Signals would be shared with national focal points, Europol and the European Commission within agreed time limits, and assessed jointly before any public communication, in order to avoid unnecessary alarm or stigmatisation of specific areas.",
                ],
            },
        ],
    },
    {
        "key": "policies",
        "kind": "call_for_policies",
        "title": "Call for proactive policies and interventions",
        "sections": [
            {
                "key": "prevention",
                "title": "Prevention and protective environments",
                "paragraphs": [
                    "Prevention of drug-related violence must start well before young people come into contact with drug markets. We call on Member States to invest in evidence-based prevention programmes in schools, families and communities that strengthen social and emotional skills, school attachment and positive relationships with adults, drawing on the European Prevention Curriculum and on programmes listed in existing best practice portals.",
                    "Recruitment of minors into drug distribution, increasingly organised through social media and messaging applications, requires a specific response. Children and young people drawn into drug markets should be treated primarily as victims of exploitation, while recognising that some have also caused serious harm. We call for national protocols that combine child protection, youth work and, where necessary, judicial measures, and for cooperation with online platforms to detect and remove recruitment content.",
                    "Protective environments are also physical and social. Investment in safe public spaces, housing, youth facilities, employment and training opportunities in deprived neighbourhoods reduces the attraction of illicit markets. Such investment should not be limited to periods of crisis following high-profile incidents, but planned over several years and evaluated.",
                    "Prevention should also reach families and peers of people already involved in drug markets, and people leaving prison. Exit programmes that offer protection, relocation support and alternative livelihoods to those who wish to leave criminal networks remain rare in the EU and deserve further development and evaluation.",
                ],
            },
            {
                "key": "public_health",
                "title": "Public health and harm reduction responses",
                "paragraphs": [
                    "Drug-related violence is a public health issue as well as a security issue. Violent injury, trauma and fear affect physical and mental health, particularly among people who use drugs, their families and residents of affected neighbourhoods. We call for health systems to recognise violence linked to drug markets as a determinant of health and to integrate it into local health planning.",
                    "Harm reduction and treatment services are often the only services in contact with people exposed to violence within drug markets. They should be resourced to offer trauma-informed care, screening for violence and debt-related threats, and referral to victim support, without compromising the confidentiality on which their work depends. Hospital-based violence intervention programmes, in which youth workers engage injured young people in emergency departments, should be piloted and evaluated in more Member States.",
                    "Frontline workers in health, harm reduction and emergency services are themselves increasingly exposed to aggression and intimidation. Employers and public authorities should provide clear protocols, training and support, and should record such incidents so that risks can be assessed. Measures to protect staff should not result in the exclusion of the most marginalised clients from services.",
                ],
            },
            {
                "key": "law_enforcement",
                "title": "Law enforcement and judicial cooperation",
                "paragraphs": [
                    "Effective law enforcement remains essential to reduce the capacity of criminal networks to use violence. We call for priority to be given to the high-risk criminal networks that drive violence, including their leadership operating from outside the EU, through joint investigation teams, cooperation via Europol and Eurojust, and the EMPACT framework. Financial investigations and asset recovery should be systematic in cases of serious drug-related violence.",
                    "Ports and logistics hubs are key points of vulnerability. Cooperation between customs, police, port authorities and private operators, as promoted by the European Ports Alliance, should be strengthened, including measures against the corruption and intimidation of port workers. Protection schemes for judges, prosecutors, lawyers, journalists and witnesses should be reviewed in the light of recent attacks.",
                    "Enforcement strategies should be assessed for their effects on violence and not only on arrests and seizures. Operations that disrupt local markets can, in some circumstances, trigger succession conflicts and displacement. We call for police and justice authorities to work with local partners and researchers to anticipate such effects, and to consider focused deterrence approaches that combine clear enforcement messages with real offers of support.",
                ],
            },
            {
                "key": "local",
                "title": "Local authorities and community safety",
                "paragraphs": [
                    "Cities and municipalities experience the consequences of drug-related violence most directly, and are often best placed to coordinate responses. We call for local authorities to be equipped with the mandate, information and resources to lead local community safety strategies, including the administrative approach to organised crime, such as screening of permits and licences and the closure of premises used for drug trafficking where national law allows.",
                    "Residents, local associations and businesses in affected neighbourhoods should be involved in designing and reviewing local responses, not only informed of them. Local strategies should combine visible policing with outreach, neighbourhood mediation and investment in public services, and should avoid measures that displace open drug scenes to other areas without addressing the needs of the people concerned.",
                ],
            },
            {
                "key": "research",
                "title": "Research and innovation",
                "paragraphs": [
                    "Knowledge on what works to prevent and reduce drug-related violence in Europe remains limited, and much of the available evidence comes from other contexts. We call for dedicated funding under EU research and security programmes for rigorous evaluation of interventions, including prevention programmes, harm reduction services, focused deterrence, exit programmes and administrative measures, and for the results to be published regardless of their outcome.",
                    "Innovation in data analysis, such as wastewater analysis, analysis of online recruitment and geographic mapping of incidents, can support preparedness for future threats, but raises ethical and legal questions. Research projects should involve practitioners and affected communities from the outset, include an independent ethics review, and give particular attention to the risks of profiling and of reinforcing the stigmatisation of specific groups or neighbourhoods.",
                ],
            },
            {
                "key": "coordination",
                "title": "Multi-sector and multi-level coordination",
                "paragraphs": [
                    "No single sector can respond to drug-related violence alone. We call on Member States to establish or strengthen coordination structures that bring together law enforcement, justice, health, social services, education, local authorities and civil society, with a shared understanding of the problem and agreed objectives. National drug coordinators are well placed to facilitate this work, in line with the EU Drugs Strategy and the EU Roadmap to fight drug trafficking and organised crime.",
                    "Coordination must work across levels of government. Local authorities need timely information from national police and intelligence services to anticipate violence, while national and European policies must reflect what is learned locally. We call for clear arrangements for information sharing between levels, respecting the different mandates and confidentiality obligations of each partner.",
                    "At EU level, the EU Drugs Agency, Europol, Eurojust and the European Commission should continue to align their work, and existing networks of cities, practitioners and researchers should be supported to exchange good practices. Progress on this call should be reviewed at a follow-up meeting, with a short public report on the actions taken by Member States and EU bodies.",
                ],
            },
        ],
    },
]

SESSIONS = [
    {
        "title": "Session 1 - Expanding the monitoring of drug-related violence",
        "starts_at": "2024-11-26T10:30",
        "ends_at": "2024-11-26T12:30",
        "rooms": [
            {
                "name": "Room A - Definitions, indicators and reporting",
                "topic": "Agree what counts as drug-related violence, which core indicators to report and how often.",
                "code": "K7MPQ2",
                "sections": [["monitoring", "definitions"], ["monitoring", "indicators"], ["monitoring", "reporting"]],
            },
            {
                "name": "Room B - Definitions, indicators and reporting",
                "topic": "Agree what counts as drug-related violence, which core indicators to report and how often.",
                "code": "R4XTN8",
                "sections": [["monitoring", "definitions"], ["monitoring", "indicators"], ["monitoring", "reporting"]],
            },
            {
                "name": "Room C - Data sources, external data and sharing",
                "topic": "Review data sources inside and outside the EU and the safeguards needed to share them.",
                "code": "H9WDF3",
                "sections": [["monitoring", "data_sources"], ["monitoring", "external"], ["monitoring", "data_sharing"]],
            },
            {
                "name": "Room D - Data sources, external data and sharing",
                "topic": "Review data sources inside and outside the EU and the safeguards needed to share them.",
                "code": "Z2LBV6",
                "sections": [["monitoring", "data_sources"], ["monitoring", "external"], ["monitoring", "data_sharing"]],
            },
        ],
    },
    {
        "title": "Session 2 - Shaping a call for proactive policies and interventions",
        "starts_at": "2024-11-26T14:00",
        "ends_at": "2024-11-26T16:00",
        "rooms": [
            {
                "name": "Room E - Prevention, health and communities",
                "topic": "Discuss prevention, public health and local responses that protect young people and neighbourhoods.",
                "code": "P5CQJ7",
                "sections": [["policies", "prevention"], ["policies", "public_health"], ["policies", "local"]],
            },
            {
                "name": "Room F - Prevention, health and communities",
                "topic": "Discuss prevention, public health and local responses that protect young people and neighbourhoods.",
                "code": "T8GNX4",
                "sections": [["policies", "prevention"], ["policies", "public_health"], ["policies", "local"]],
            },
            {
                "name": "Room G - Enforcement, research and coordination",
                "topic": "Discuss law enforcement, research priorities and how sectors and levels of government work together.",
                "code": "M3YRK9",
                "sections": [["policies", "law_enforcement"], ["policies", "research"], ["policies", "coordination"]],
            },
            {
                "name": "Room H - Enforcement, research and coordination",
                "topic": "Discuss law enforcement, research priorities and how sectors and levels of government work together.",
                "code": "B6HSW2",
                "sections": [["policies", "law_enforcement"], ["policies", "research"], ["policies", "coordination"]],
            },
        ],
    },
]

import type { ModuleRef } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { UsersService } from '../auth/users.service';
import type { Actor } from '../kernel/request-context';
import { RequestContext } from '../kernel/request-context';
import { StaffNotifications } from '../mail/staff-notifications.service';
import { Edition } from '../planning/edition.entity';
import { BillingPartiesService } from '../enrolment/billing-parties.service';
import type { CreateBillingPartyDto } from '../enrolment/dto/billing-party.dto';
import type { CreateStudentDto } from '../enrolment/dto/student.dto';
import { EnrolmentTerms } from '../enrolment/enrolment-terms.service';
import { EnrolmentsService } from '../enrolment/enrolments.service';
import { type Locale } from '../kernel/locale';
import { fullName } from '../enrolment/student-name';
import type { EducationLevel } from '../enrolment/education-level';
import { StudentsService } from '../enrolment/students.service';
import type { DemoCredential } from './demo-accounts';
import { DEMO_STAFF } from './demo-institute';

/** Employers that pay for their staff, with the reference their accounts payable want on every invoice. */
export const DEMO_EMPLOYERS: CreateBillingPartyDto[] = [
  {
    kind: 'employer',
    name: 'Stichting Ziekenhuis Amstelzicht',
    address: { street: 'Laan van Amstelzicht', houseNumber: '1', postcode: '1186 AM', city: 'Amstelveen', country: 'NL' },
    vatNumber: 'NL804512733B01',
    kvkNumber: '41207764',
    contactName: 'Ilse Koster, afdeling Leren & Ontwikkelen',
    contactEmail: 'leren@amstelzicht.example',
    reference: 'PO 4500187320',
    peppolId: '0106:41207764',
  },
  {
    kind: 'employer',
    name: 'Gemeente Vechtstede',
    address: { street: 'Stadhuisplein', houseNumber: '2', postcode: '3431 BH', city: 'Nieuwegein', country: 'NL' },
    vatNumber: 'NL001706128B01',
    kvkNumber: '30278195',
    contactName: 'Team Inkoop Sociaal Domein',
    contactEmail: 'facturen@vechtstede.example',
    reference: 'Inkooporder 2026-SD-0412',
    peppolId: '0106:30278195',
  },
  {
    kind: 'employer',
    name: 'Zilverhaven Verzekeringen N.V.',
    address: { street: 'Handelskade', houseNumber: '40', postcode: '3821 BT', city: 'Amersfoort', country: 'NL' },
    vatNumber: 'NL857320614B01',
    kvkNumber: '32091488',
    contactName: 'HR Opleidingen',
    contactEmail: 'opleidingen@zilverhaven.example',
    reference: 'Kostenplaats 7310 Wft-permanente educatie',
  },
];

type Person = [givenNames: string, namePrefix: string, familyName: string, email: string, phone: string, dateOfBirth: string, locale: Locale];
type Home = [street: string, houseNumber: string, postcode: string, city: string, country?: string];
type Schooling = [level: EducationLevel, field: string, year: number, institution: string];
type Work = [profession: string, sector: string, yearsOfExperience: number, employer: string];

/** Students as an advisor would have registered them; the email's local part is the key the enrolment plan uses. */
const PEOPLE: Array<[Person, Home, Schooling, Work]> = [
  // Zorg
  [['Sanne', 'van der', 'Meer', 'sanne.vandermeer@example.com', '06 2418 7730', '1988-04-12', 'nl'], ['Kinkerstraat', '112-2', '1053 ED', 'Amsterdam'], ['hbo_bachelor', 'Verpleegkunde', 2010, 'Hogeschool van Amsterdam'], ['Teamleider verpleegafdeling cardiologie', 'Zorg', 14, 'Stichting Ziekenhuis Amstelzicht']],
  [['Daan', 'de', 'Jong', 'daan.dejong@example.com', '06 3155 0981', '1994-09-03', 'nl'], ['Bilderdijkstraat', '37-3', '1053 KJ', 'Amsterdam'], ['hbo_bachelor', 'Verpleegkunde', 2016, 'Hogeschool Utrecht'], ['Verpleegkundige spoedeisende hulp', 'Zorg', 8, 'Stichting Ziekenhuis Amstelzicht']],
  [['Zeynep', '', 'Yılmaz', 'zeynep.yilmaz@example.com', '06 4127 6603', '1991-01-26', 'nl'], ['Burgemeester de Vlugtlaan', '208', '1063 BP', 'Amsterdam'], ['hbo_bachelor', 'Verpleegkunde', 2014, 'Hogeschool Rotterdam'], ['Oncologieverpleegkundige', 'Zorg', 10, 'Stichting Ziekenhuis Amstelzicht']],
  [['Małgorzata', '', 'Wójcik', 'malgorzata.wojcik@example.com', '06 1870 4452', '1983-06-18', 'nl'], ['Parkstraat', '14', '1211 JR', 'Hilversum'], ['hbo_bachelor', 'Pielęgniarstwo (verpleegkunde)', 2007, 'Uniwersytet Medyczny w Łodzi'], ['Wijkverpleegkundige', 'Zorg', 16, 'Thuiszorg Gooi en Vecht']],
  [['Văn Đức', '', 'Trần', 'duc.tran@example.com', '06 2290 3318', '1990-11-30', 'nl'], ['Wisselweg', '63', '1314 CB', 'Almere'], ['hbo_bachelor', 'Verpleegkunde', 2013, 'Hogeschool Inholland'], ['IC-verpleegkundige', 'Zorg', 11, 'Stichting Ziekenhuis Amstelzicht']],
  [['Fatima-Zahra', 'El', 'Idrissi', 'fatimazahra.elidrissi@example.com', '06 5431 2087', '1993-03-08', 'nl'], ['Jan Tooropstraat', '91', '1062 BM', 'Amsterdam'], ['hbo_bachelor', 'Verpleegkunde', 2015, 'Hogeschool van Amsterdam'], ['Verpleegkundige longziekten', 'Zorg', 9, 'Stichting Ziekenhuis Amstelzicht']],
  [['Kofi', '', 'Boateng', 'kofi.boateng@example.com', '06 4472 9015', '1986-07-21', 'en'], ['Bijlmerdreef', '1153', '1103 TT', 'Amsterdam'], ['hbo_bachelor', 'BSc Nursing', 2010, 'University of Ghana'], ['Verpleegkundige ggz', 'Zorg', 12, 'GGZ Amstelland']],
  [['Shanti', '', 'Ramdin', 'shanti.ramdin@example.com', '06 1396 5274', '1989-12-02', 'nl'], ['Laan van Meerdervoort', '455', '2563 AR', 'Den Haag'], ['hbo_bachelor', 'Verpleegkunde', 2012, 'De Haagse Hogeschool'], ['Praktijkverpleegkundige', 'Zorg', 11, 'Huisartsenpraktijk Duinoord']],
  [['Lars', '', 'Vermeulen', 'lars.vermeulen@example.com', '06 3018 6649', '1985-05-14', 'nl'], ['Rijnsburgerweg', '22', '2334 BA', 'Leiden'], ['hbo_bachelor', 'Fysiotherapie', 2008, 'Hogeschool Leiden'], ['Fysiotherapeut', 'Zorg', 17, 'Fysiotherapie Vermeulen']],
  [['Noor', '', 'Haddad', 'noor.haddad@example.com', '06 2564 1190', '1987-08-09', 'en'], ['Spaarndammerstraat', '305', '1013 TE', 'Amsterdam'], ['hbo_bachelor', 'Nursing', 2009, 'Damascus University'], ['Verpleegkundige neurologie', 'Zorg', 13, 'Stichting Ziekenhuis Amstelzicht']],
  [['Annika', '', 'Schröder', 'annika.schroeder@example.com', '+49 591 9130 4417', '1992-02-17', 'nl'], ['Lookenstraße', '18', '49808', 'Lingen (Ems)', 'DE'], ['hbo_bachelor', 'Pflege (verpleegkunde)', 2015, 'Hochschule Osnabrück'], ['Kinderverpleegkundige', 'Zorg', 9, 'Stichting Ziekenhuis Amstelzicht']],
  // Two without a bachelor, for the praktijkopleider course where an intake decides admission.
  [['Gerda', '', 'Bakker-Çelik', 'gerda.bakker@example.com', '06 2741 5086', '1979-10-05', 'nl'], ['Weesperzijde', '77', '1091 EJ', 'Amsterdam'], ['mbo', 'mbo-4 Verpleegkunde', 1999, 'ROC van Amsterdam'], ['Eerstverantwoordelijk verzorgende', 'Zorg', 24, 'Thuiszorg Gooi en Vecht']],
  [['Youssef', '', 'El Amrani', 'youssef.elamrani@example.com', '06 3920 6614', '1990-06-12', 'nl'], ['Columbusplein', '19', '1057 VB', 'Amsterdam'], ['mbo', 'mbo-4 Maatschappelijke Zorg', 2011, 'ROC TOP'], ['Persoonlijk begeleider gehandicaptenzorg', 'Zorg', 13, 'GGZ Amstelland']],
  [['Joana', '', 'Carvalho', 'joana.carvalho@example.com', '06 4890 2235', '1990-10-05', 'en'], ['Oudegracht', '201', '3511 NK', 'Utrecht'], ['hbo_bachelor', 'Licenciatura em Enfermagem', 2012, 'Universidade do Porto'], ['Verpleegkundige geriatrie', 'Zorg', 12, 'Zorggroep Vechtdal']],
  [['Marieke', '', 'Hoekstra', 'marieke.hoekstra@example.com', '06 1143 7782', '1976-01-29', 'nl'], ['Dorpsstraat', '48', '3732 HJ', 'De Bilt'], ['hbo_level_intake', 'mbo-4 Verpleegkunde', 1997, 'ROC Midden Nederland'], ['Teamleider verpleeghuis', 'Zorg', 27, 'Zorggroep Vechtdal']],
  [['Ricardo', '', 'Pinas', 'ricardo.pinas@example.com', '06 3327 4468', '1984-04-01', 'nl'], ['Kruiskade', '9', '3012 EE', 'Rotterdam'], ['hbo_bachelor', 'Verpleegkunde', 2007, 'Hogeschool Rotterdam'], ['Verpleegkundige dialyse', 'Zorg', 18, 'Stichting Ziekenhuis Amstelzicht']],
  [['Emre', '', 'Kaya', 'emre.kaya@example.com', '06 5019 3341', '1995-06-24', 'nl'], ['Vaartweg', '132', '1217 SX', 'Hilversum'], ['hbo_bachelor', 'Verpleegkunde', 2018, 'Hogeschool Utrecht'], ['Ambulanceverpleegkundige', 'Zorg', 7, 'Regionale Ambulancevoorziening Gooi en Vecht']],
  [['Esther', '', 'Kartodikromo', 'esther.kartodikromo@example.com', '06 2281 6608', '1982-09-16', 'nl'], ['Meerstraat', '70', '1411 BK', 'Naarden'], ['hbo_bachelor', 'Verpleegkunde', 2005, 'Hogeschool van Amsterdam'], ['Verpleegkundig specialist in opleiding', 'Zorg', 19, 'Stichting Ziekenhuis Amstelzicht']],
  [['Thị Lan', '', 'Hoàng', 'lan.hoang@example.com', '06 4716 0573', '1992-12-11', 'nl'], ['Amstelveenseweg', '540', '1081 JN', 'Amsterdam'], ['hbo_bachelor', 'Verpleegkunde', 2016, 'Hogeschool van Amsterdam'], ['Wijkverpleegkundige', 'Zorg', 8, 'Thuiszorg Gooi en Vecht']],
  [['Jan-Willem', "van 't", 'Hof', 'janwillem.vanthof@example.com', '06 1952 8836', '1980-03-22', 'nl'], ['Slotlaan', '17', '3701 GA', 'Zeist'], ['hbo_bachelor', 'Verpleegkunde', 2003, 'Hogeschool Utrecht'], ['Verpleegkundige hartbewaking', 'Zorg', 21, 'Diakonessenhuis Zeist']],
  [['Yasmina', '', 'Bouzid', 'yasmina.bouzid@example.com', '06 3645 2219', '1996-05-30', 'nl'], ['Columbusplein', '26-1', '1057 VB', 'Amsterdam'], ['hbo_bachelor', 'Verpleegkunde', 2019, 'Hogeschool Inholland'], ['Verpleegkundige interne geneeskunde', 'Zorg', 6, 'Stichting Ziekenhuis Amstelzicht']],
  [['Katarzyna', '', 'Nowak-Dąbrowska', 'katarzyna.nowak@example.com', '06 2709 4481', '1981-07-07', 'nl'], ['Kerkstraat', '5', '1381 BT', 'Weesp'], ['hbo_bachelor', 'Verpleegkunde', 2006, 'Uniwersytet Jagielloński'], ['Verpleegkundige palliatief team', 'Zorg', 18, 'Hospice Bergweide']],
  [['Ama', '', 'Owusu', 'ama.owusu@example.com', '06 5582 0137', '1985-02-14', 'en'], ['Gaasperdammerweg', '618', '1108 AE', 'Amsterdam'], ['wo_master', 'MSc Nursing', 2012, 'Kwame Nkrumah University of Science and Technology'], ['Coördinerend verpleegkundige hospice', 'Zorg', 14, 'Hospice Bergweide']],
  // Sociaal werk
  [['Mehmet', '', 'Şahin', 'mehmet.sahin@example.com', '06 1628 3390', '1987-10-19', 'nl'], ['Kanaleneiland-Zuid', '88', '3526 XP', 'Utrecht'], ['hbo_bachelor', 'Sociaal Pedagogische Hulpverlening', 2010, 'Hogeschool Utrecht'], ['Schuldhulpverlener', 'Sociaal werk', 14, 'Gemeente Vechtstede']],
  [['Iris', 'de', 'Boer', 'iris.deboer@example.com', '06 4033 5176', '1993-04-04', 'nl'], ['Herenstraat', '12', '3431 GA', 'Nieuwegein'], ['hbo_bachelor', 'Sociaal Werk', 2016, 'Hogeschool Utrecht'], ['Consulent werk en inkomen', 'Sociaal werk', 9, 'Gemeente Vechtstede']],
  [['Mohamed', '', 'Ouali', 'mohamed.ouali@example.com', '06 3592 7714', '1990-08-27', 'nl'], ['Zwanenvechtlaan', '301', '3438 BC', 'Nieuwegein'], ['hbo_bachelor', 'Maatschappelijk Werk en Dienstverlening', 2013, 'Hogeschool Utrecht'], ['Schuldhulpverlener', 'Sociaal werk', 12, 'Gemeente Vechtstede']],
  [['Priya', '', 'Mahabier', 'priya.mahabier@example.com', '06 2147 9926', '1988-11-13', 'nl'], ['Biltstraat', '156', '3572 BN', 'Utrecht'], ['hbo_bachelor', 'Sociaal Juridische Dienstverlening', 2011, 'Hogeschool Utrecht'], ['Klantmanager participatie', 'Sociaal werk', 14, 'Gemeente Vechtstede']],
  [['Bram', '', 'Smit', 'bram.smit@example.com', '06 4368 1053', '1991-02-08', 'nl'], ['Leusderweg', '77', '3811 NM', 'Amersfoort'], ['hbo_bachelor', 'Social Work', 2014, 'Hogeschool Windesheim'], ['Maatschappelijk werker wijkteam', 'Sociaal werk', 11, 'Wijkteams Amersfoort']],
  [['Rasha', '', 'Al-Khatib', 'rasha.alkhatib@example.com', '06 5276 3408', '1986-06-01', 'en'], ['Vleutenseweg', '236', '3532 HP', 'Utrecht'], ['hbo_bachelor', 'Social Work', 2009, 'University of Aleppo'], ['Maatschappelijk werker statushouders', 'Sociaal werk', 10, 'Vluchtelingenwerk Midden-Nederland']],
  [['Dirk-Jan', 'van', 'Leeuwen', 'dirkjan.vanleeuwen@example.com', '06 1785 6642', '1974-12-20', 'nl'], ['Utrechtseweg', '301', '3818 EL', 'Amersfoort'], ['hbo_level_intake', 'mbo-4 Sociaal Juridische Dienstverlening', 1996, 'ROC Midden Nederland'], ['Budgetcoach', 'Sociaal werk', 25, 'Humanitas Amersfoort']],
  [['Gülsen', '', 'Demir', 'gulsen.demir@example.com', '06 3914 2570', '1989-09-09', 'nl'], ['Damstraat', '21', '3531 BR', 'Utrecht'], ['hbo_bachelor', 'Sociaal Juridische Dienstverlening', 2012, 'Hogeschool Utrecht'], ['Sociaal raadsvrouw', 'Sociaal werk', 13, 'Sociaal Raadslieden Utrecht']],
  [['Tomasz', '', 'Kowalczyk', 'tomasz.kowalczyk@example.com', '06 2830 7195', '1984-03-15', 'nl'], ['Amsterdamsestraatweg', '412', '3551 CW', 'Utrecht'], ['wo_bachelor', 'Rechtsgeleerdheid', 2008, 'Universiteit Utrecht'], ['Jurist sociaal domein', 'Sociaal werk', 15, 'Sociaal Raadslieden Utrecht']],
  [['Latifa', '', 'Benali', 'latifa.benali@example.com', '06 4621 0839', '1987-05-05', 'nl'], ['Goeman Borgesiuslaan', '12', '3515 EB', 'Utrecht'], ['wo_master', 'Rechtsgeleerdheid', 2012, 'Universiteit Utrecht'], ['Jurist schuldhulpverlening', 'Sociaal werk', 12, 'Gemeente Vechtstede']],
  [['Henk Jan', '', 'Mulder', 'henkjan.mulder@example.com', '06 1507 3364', '1979-07-31', 'nl'], ['Burgemeester Reigerstraat', '63', '3581 KM', 'Utrecht'], ['wo_bachelor', 'Psychologie', 2002, 'Rijksuniversiteit Groningen'], ['Gedragswetenschapper jeugdzorg', 'Sociaal werk', 22, 'Jeugdzorg Midden-Nederland']],
  [['Efua', '', 'Asante', 'efua.asante@example.com', '06 5349 8801', '1990-01-18', 'en'], ['Nachtegaalstraat', '40', '3581 AH', 'Utrecht'], ['wo_bachelor', 'BA Psychology', 2012, 'University of Cape Coast'], ['Vertrouwenspersoon', 'Sociaal werk', 11, 'Stichting Welzijn Utrecht']],
  [['Pieter', 'de', 'Wit', 'pieter.dewit@example.com', '06 2093 6617', '1978-10-10', 'nl'], ['Slotlaan', '240', '3701 GT', 'Zeist'], ['hbo_bachelor', 'Personeel en Arbeid', 2001, 'Hogeschool Utrecht'], ['Conflictbemiddelaar', 'Sociaal werk', 23, 'Bemiddeling De Wit']],
  // Financiële dienstverlening
  [['Sophie', '', 'Verbruggen', 'sophie.verbruggen@example.com', '06 3770 1924', '1992-06-06', 'nl'], ['Arnhemseweg', '15', '3817 CA', 'Amersfoort'], ['hbo_bachelor', 'Finance & Control', 2015, 'Hogeschool Utrecht'], ['Hypotheekadviseur', 'Financiële dienstverlening', 9, 'Zilverhaven Verzekeringen N.V.']],
  [['Rui', '', 'Fernandes', 'rui.fernandes@example.com', '06 4905 6632', '1988-02-25', 'en'], ['Stationsplein', '3', '3818 LE', 'Amersfoort'], ['wo_bachelor', 'Licenciatura em Economia', 2010, 'Universidade Nova de Lisboa'], ['Pensioenadviseur', 'Financiële dienstverlening', 13, 'Zilverhaven Verzekeringen N.V.']],
  [['Stefan', '', 'Hoffmann', 'stefan.hoffmann@example.com', '06 1264 8853', '1983-11-04', 'nl'], ['Stadsring', '99', '3811 HP', 'Amersfoort'], ['hbo_bachelor', 'Bedrijfseconomie', 2006, 'Hogeschool Arnhem en Nijmegen'], ['Financieel planner', 'Financiële dienstverlening', 17, 'Hoffmann Financiële Planning']],
  [['Dewi', '', 'Lestari-de Groot', 'dewi.lestari@example.com', '06 2852 4470', '1994-08-17', 'nl'], ['Hof', '31', '3811 CK', 'Amersfoort'], ['hbo_bachelor', 'Finance, Tax and Advice', 2017, 'Hogeschool Windesheim'], ['Schadebehandelaar particulieren', 'Financiële dienstverlening', 8, 'Zilverhaven Verzekeringen N.V.']],
  // Onderwijs
  [['Hanneke', '', 'Visser', 'hanneke.visser@example.com', '06 3488 2016', '1986-03-03', 'nl'], ['Kamerlingh Onneslaan', '8', '1097 DE', 'Amsterdam'], ['hbo_bachelor', 'Pabo', 2008, 'Hogeschool iPabo'], ['Intern begeleider basisschool', 'Onderwijs', 17, 'Openbare Basisschool De Watergeus']],
  [['Abdelkarim', '', 'Tahiri', 'abdelkarim.tahiri@example.com', '06 5137 9248', '1990-12-28', 'nl'], ['Javastraat', '130', '1095 CK', 'Amsterdam'], ['hbo_bachelor', 'Lerarenopleiding Wiskunde', 2014, 'Hogeschool van Amsterdam'], ['Docent wiskunde vmbo', 'Onderwijs', 11, 'Cosmicus College']],
  // HR
  [['Lotte', 'van', 'Vliet', 'lotte.vanvliet@example.com', '06 2316 5597', '1987-09-22', 'nl'], ['Prinsengracht', '711', '1017 JW', 'Amsterdam'], ['wo_master', 'Arbeids- en Organisatiepsychologie', 2011, 'Universiteit van Amsterdam'], ['HR-businesspartner', 'HR', 13, 'Stichting Ziekenhuis Amstelzicht']],
  [['Oleksandr', '', 'Kovalenko', 'oleksandr.kovalenko@example.com', '06 4259 0381', '1985-04-27', 'en'], ['Van Baerlestraat', '52', '1071 BA', 'Amsterdam'], ['wo_master', 'Human Resource Management', 2009, 'Kyiv National Economic University'], ['Teamleider HR-services', 'HR', 15, 'Zilverhaven Verzekeringen N.V.']],
];

/** Vietnamese family names among the demo students: shown first, as their bearers write them. */
const FAMILY_NAME_FIRST = new Set(['Nguyễn', 'Trần', 'Hoàng']);

export const DEMO_STUDENTS: CreateStudentDto[] = PEOPLE.map(
  ([[givenNames, namePrefix, familyName, email, phone, dateOfBirth, locale], [street, houseNumber, postcode, city, country], [level, field, year, institution], [profession, sector, yearsOfExperience, employer]]) => ({
    givenNames,
    namePrefix,
    familyName,
    familyNameFirst: FAMILY_NAME_FIRST.has(familyName),
    email,
    phone,
    dateOfBirth,
    locale,
    address: { street, houseNumber, postcode, city, country: country ?? 'NL' },
    priorEducation: { level, field, year, institution },
    profession,
    sector,
    yearsOfExperience,
    employer,
    contactPreference: 'mail',
  }),
);

/** An advisor's recorded reason for students whose prior education does not meet the course's minimum. */
const OVERRIDES: Record<string, string> = {
  'marieke.hoekstra': 'Intake 4 november 2026: hbo-werk- en denkniveau aangetoond met portfolio en 27 jaar leidinggevende ervaring in de ouderenzorg.',
  'dirkjan.vanleeuwen': 'Intake 11 november 2026: hbo-werk- en denkniveau aangetoond; 25 jaar ervaring als budgetcoach, verslag in het dossier.',
  'pieter.dewit': 'Hbo-bachelor in plaats van wo-bachelor: ruim twintig jaar ervaring als conflictbemiddelaar, toelating besproken met de opleidingscoördinator.',
};

/**
 * Who enrols where, in the order the requests came in. Coaching in de zorg takes 16: the last
 * three wait. Register Mediator stays below its minimum of 8, for the go/no-go check.
 */
/** Per course code, the students enrolled in the course's demo edition, in the order they enrolled. */
export const DEMO_ENROLMENTS: Array<[courseCode: string, students: string[]]> = [
  ['PCZ', ['sanne.vandermeer', 'daan.dejong', 'zeynep.yilmaz', 'malgorzata.wojcik', 'duc.tran', 'fatimazahra.elidrissi', 'kofi.boateng', 'shanti.ramdin', 'lars.vermeulen', 'noor.haddad', 'annika.schroeder', 'joana.carvalho', 'marieke.hoekstra', 'ricardo.pinas', 'emre.kaya', 'esther.kartodikromo', 'lan.hoang', 'janwillem.vanthof', 'yasmina.bouzid']],
  ['PALZ', ['joana.carvalho', 'marieke.hoekstra', 'ricardo.pinas', 'emre.kaya', 'esther.kartodikromo', 'katarzyna.nowak', 'ama.owusu', 'lan.hoang', 'janwillem.vanthof', 'yasmina.bouzid', 'kofi.boateng']],
  ['SHV', ['mehmet.sahin', 'iris.deboer', 'mohamed.ouali', 'priya.mahabier', 'bram.smit', 'rasha.alkhatib', 'dirkjan.vanleeuwen', 'gulsen.demir', 'tomasz.kowalczyk', 'latifa.benali', 'henkjan.mulder']],
  ['RMED', ['tomasz.kowalczyk', 'latifa.benali', 'henkjan.mulder', 'efua.asante', 'pieter.dewit']],
  ['WFT-AF', ['sophie.verbruggen', 'rui.fernandes', 'stefan.hoffmann', 'dewi.lestari']],
  ['PDO', ['hanneke.visser', 'abdelkarim.tahiri']],
  // Two received pending the admission decision (their mbo level is below the course's hbo working level), one enrolled.
  ['PRZ', ['gerda.bakker', 'shanti.ramdin', 'youssef.elamrani']],
  ['LGV', ['lotte.vanvliet', 'oleksandr.kovalenko', 'sanne.vandermeer']],
];

/** The late cancellation: it owes the fee, and its seat is offered to the first on the waitlist. */
const LATE_CANCELLATION = { courseCode: 'PCZ', student: 'fatimazahra.elidrissi', reason: 'Zwangerschapsverlof valt samen met de lesdagen; wil in een volgende editie instromen.' };

/**
 * Terms under which cancelling the first editions (starting ten to fifteen weeks after the
 * first boot) already costs a fee: free until three months before the start, half the tuition after that.
 */
const DEMO_TERMS = { freeCancellationDays: 90, cancellationFeePercent: 50 };

/** The student who gets a login: first on the waitlist, so the offered seat is theirs to accept. */
const STUDENT_LOGIN = 'lan.hoang';

const key = (email: string) => email.slice(0, email.indexOf('@'));

/**
 * Students, employers and enrolments, made by the demo advisor through the enrolment services,
 * so that the rules, the status history, the audit log and the mails are as in real use. The
 * advisor takes new enrolments in the daily digest, so the seed mails the students, not her.
 */
export async function seedDemoStudents(db: DataSource, users: UsersService, modules: ModuleRef): Promise<DemoCredential[]> {
  const get = <T>(type: new (...args: never[]) => T) => modules.get(type, { strict: false });
  const [students, billingParties, enrolments, enrolmentTerms, staffNotifications] = [
    get(StudentsService),
    get(BillingPartiesService),
    get(EnrolmentsService),
    get(EnrolmentTerms),
    get(StaffNotifications),
  ];

  const advisorEmail = DEMO_STAFF.find((staff) => staff.role === 'advisor')!.email;
  const advisorUser = (await users.findByEmail(advisorEmail))!;
  const advisor: Actor = { id: advisorUser.id, email: advisorUser.email, roles: advisorUser.roles };
  await staffNotifications.setPreference(advisor, 'enrolment_received', 'digest');
  const terms = await enrolmentTerms.getSettings();
  await enrolmentTerms.updateSettings({ ...DEMO_TERMS, version: terms.version });

  return RequestContext.run({ requestId: 'demo-seed', actor: advisor }, async () => {
    const employers = new Map<string, string>();
    for (const employer of DEMO_EMPLOYERS) employers.set(employer.name!, (await billingParties.create(employer)).id);

    const byKey = new Map<string, { id: string; employer: string; name: string }>();
    for (const input of DEMO_STUDENTS) {
      const student = await students.create(input);
      byKey.set(key(input.email), { id: student.id, employer: student.employer, name: fullName(student) });
    }

    // Each demo course has one edition, coded `<course>-<year>-01`.
    const editions = new Map((await db.getRepository(Edition).find()).map((edition) => [edition.code.replace(/-\d{4}-\d{2}$/, ''), edition.id]));
    const enrolmentIds = new Map<string, string>();
    for (const [courseCode, keys] of DEMO_ENROLMENTS) {
      for (const studentKey of keys) {
        const student = byKey.get(studentKey)!;
        const enrolment = await enrolments.enrol({
          studentId: student.id,
          editionId: editions.get(courseCode)!,
          billingPartyId: employers.get(student.employer),
          ...(OVERRIDES[studentKey] ? { overrideEntryRequirements: true, overrideReason: OVERRIDES[studentKey] } : {}),
        });
        enrolmentIds.set(`${courseCode}:${studentKey}`, enrolment.id);
      }
    }
    await enrolmentTerms.cancel(enrolmentIds.get(`${LATE_CANCELLATION.courseCode}:${LATE_CANCELLATION.student}`)!, { reason: LATE_CANCELLATION.reason }, advisor);

    const login = DEMO_STUDENTS.find((student) => key(student.email) === STUDENT_LOGIN)!;
    const password = `demo-${randomBytes(9).toString('base64url')}`;
    const { name, id } = byKey.get(STUDENT_LOGIN)!;
    await users.create({ email: login.email, displayName: name, password, roles: ['student'], studentId: id, locale: login.locale });
    return [{ role: 'student', email: login.email, password }];
  });
}

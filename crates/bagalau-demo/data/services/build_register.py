#!/usr/bin/env python3
"""Builds register.csv, the demonstration Register of public services, from
the compact table below (run it from anywhere; it rewrites register.csv next
to itself and prints a summary).

DEMONSTRATION DATA. The services are modelled on Kazakhstan's Register of
public services (approved by order of the Minister of Digital Development,
Innovations and Aerospace Industry; each service's standard is set by the
competent minister's order), but the standards here (deadlines, documents,
costs, channels, dates of change) are illustrative, written for Bagalau's
demonstration, and are not the official register.

Table format, one service per line, fields separated by ` | `:

    id | providers | channels | deadline | documents | cost | form | automated | kk | ru | en [| from=YYYY-MM-DD]

- sector: set by the `## sector` line above the services;
- providers: ids of the registry of bodies (`data/registry/kz.toml`), or
  `akimat` for the local executive bodies; `old>new` is a provider whose
  competence passed to another body on a reorganisation (SUCCESSION below):
  the service gets a new version from that date with the new provider;
- channels: letters, in order: c = Public Service Centre (psc),
  e = e-government portal (portal), b = the provider body (body);
- deadline: 5d working days, 30c calendar days, 2h hours, 30m minutes;
- documents: `;`-separated (may be `-` for none);
- form: e electronic, p paper, b both; automated: y or n;
- from=: the first day (default 2020-01-01, the register's first day here).

A line beginning with `>` under a service starts a new version on its date
with the fields changed (`ch=ce dl=5d docs=a;b cost=0 form=e auto=y
prov=akimat`); `x YYYY-MM-DD` ends the service on that day (abolished).
"""

import csv
import datetime as dt
import io
import pathlib
import sys

FIRST_DAY = "2020-01-01"

SECTORS = {
    "registration", "transport", "business", "land", "construction",
    "education", "health", "social_protection", "housing", "justice",
    "taxes", "environment", "agriculture", "culture", "trade",
}

# Reorganisations of the registry's bodies (see data/registry/kz.toml):
# (old body, new body) -> the first day of the new body's competence.
SUCCESSION = {
    ("mia", "mes"): "2020-09-09",      # Ministry of Emergency Situations created
    ("mne", "apdc"): "2020-09-09",     # Agency for Protection and Development of Competition formed
    ("mesc", "medu"): "2022-06-11",    # Ministry of Education and Science split
    ("mesc", "mshe"): "2022-06-11",
    ("miid", "mic"): "2023-09-01",     # Ministry of Industry and Infrastructural Development split
    ("miid", "mt"): "2023-09-01",
    ("mcs", "mci"): "2023-09-01",      # culture to the Ministry of Culture and Information
    ("mcs", "mts"): "2023-09-01",      # sport and tourism to the Ministry of Tourism and Sports
    ("misd", "mci"): "2023-09-01",     # Ministry of Information and Social Development transformed
    ("meco", "mwri"): "2023-09-01",    # water to the Ministry of Water Resources and Irrigation
}

CHANNELS = {"c": "psc", "e": "portal", "b": "body"}
UNITS = {"d": "working_days", "c": "calendar_days", "h": "hours", "m": "minutes"}
FORMS = {"e": "electronic", "p": "paper", "b": "both"}
AUTO = {"y": "true", "n": "false"}

TABLE = r"""

## registration
reg_birth | moj | ce | 1d | identity card;medical certificate of birth | 0 | e | y | Баланың тууын мемлекеттік тіркеу | Государственная регистрация рождения ребенка | State registration of a child's birth
reg_marriage | moj | ce | 30c | identity cards;application | 1228 | p | n | Неке қиюды мемлекеттік тіркеу | Государственная регистрация заключения брака | State registration of marriage
reg_divorce | moj | cb | 30c | application;identity cards;court decision | 1228 | p | n | Некені бұзуды мемлекеттік тіркеу | Государственная регистрация расторжения брака (супружества) | State registration of divorce
> 2022-01-01 | ch=ce
reg_death | moj | ce | 1d | identity card;medical certificate of death | 0 | e | y | Қайтыс болуды мемлекеттік тіркеу | Государственная регистрация смерти | State registration of death
reg_paternity | moj | cb | 1d | application;identity cards;birth certificate | 0 | p | n | Әке болуды анықтауды мемлекеттік тіркеу | Государственная регистрация установления отцовства | State registration of the establishment of paternity
> 2021-07-01 | ch=ce form=e
reg_name_change | moj | ce | 30c | application;birth certificate;photo;receipt | 1228 | p | n | Тегін, атын, әкесінің атын ауыстыруды мемлекеттік тіркеу | Государственная регистрация перемены имени, отчества, фамилии | State registration of a change of surname, first name or patronymic
reg_adoption | moj | b | 7d | court decision;identity cards;birth certificate | 0 | p | n | Бала асырап алуды мемлекеттік тіркеу | Государственная регистрация усыновления (удочерения) | State registration of adoption
reg_civil_duplicate | moj | ce | 1d | application;identity card | 0 | e | y | Азаматтық хал актілерін тіркеу туралы қайталама куәліктер немесе анықтамалар беру | Выдача повторных свидетельств или справок о регистрации актов гражданского состояния | Issuing repeat certificates or statements of civil status registration
> 2022-07-01 | dl=1h
reg_civil_amend | moj | cb | 15c | application;identity card;supporting documents | 0 | p | n | Азаматтық хал актілерінің жазбаларына өзгерістер, толықтырулар мен түзетулер енгізу | Внесение изменений, дополнений и исправлений в записи актов гражданского состояния | Amending, supplementing and correcting civil status records
> 2022-01-01 | ch=ce dl=10d
reg_civil_restore | moj | cb | 30c | application;identity card;archival certificate | 0 | p | n | Азаматтық хал актілерінің жазбаларын қалпына келтіру | Восстановление записей актов гражданского состояния | Restoring civil status records
reg_civil_annul | moj | b | 30c | application;court decision | 0 | p | n | Азаматтық хал актілерінің жазбаларын жою | Аннулирование записей актов гражданского состояния | Annulling civil status records
reg_civil_abroad | moj | b | 30c | application;identity card;foreign document with apostille | 0 | p | n | Шет мемлекеттердің құзыретті органдары берген азаматтық хал актілері туралы құжаттарды талап ету | Истребование документов о регистрации актов гражданского состояния с иностранных государств | Requesting civil status documents from foreign states
reg_address | mia | ce | 1d | identity card;title deed | 0 | e | y | Тұрғылықты жері бойынша тіркеу | Регистрация по месту жительства | Registration at the place of residence
reg_address_off | mia | ce | 1d | application;identity card | 0 | e | y | Тұрғылықты жері бойынша тіркеуден шығару | Снятие с регистрации по месту жительства | Deregistration from the place of residence
reg_temporary | mia | c | 1d | identity card;owner's consent | 0 | e | y | Уақытша болатын жері бойынша тіркеу | Регистрация по месту временного пребывания | Registration at the place of temporary stay
> 2021-01-01 | ch=ce
reg_address_cert | mia | ce | 15m | identity card | 0 | e | y | Мекенжай анықтамасын беру | Выдача адресной справки | Issuing a certificate of address
> 2022-01-01 | ch=e dl=5m
x 2023-06-30
id_card | mia | c | 15d | application;photo;receipt | 1535 | p | n | Жеке куәлік беру | Выдача удостоверения личности | Issuing an identity card
passport | mia | c | 15d | application;identity card;receipt | 9204 | p | n | Қазақстан Республикасының паспортын беру | Выдача паспорта гражданина Республики Казахстан | Issuing a passport of the Republic of Kazakhstan
reg_id_lost | mia | ce | 1d | application | 0 | e | y | Жоғалған (ұрланған) жеке басты куәландыратын құжаттарды жарамсыз деп тану | Признание недействительными утерянных (похищенных) документов, удостоверяющих личность | Declaring lost or stolen identity documents invalid
reg_citizenship | mia | b | 180c | application;autobiography;certificate of no criminal record;receipt | 9204 | p | n | Қазақстан Республикасының азаматтығына қабылдау | Прием в гражданство Республики Казахстан | Admission to the citizenship of the Republic of Kazakhstan
> 2022-01-01 | dl=90c
reg_citizenship_exit | mia | b | 90c | application;identity card;receipt | 9204 | p | n | Қазақстан Республикасының азаматтығынан шығу | Выход из гражданства Республики Казахстан | Renouncing the citizenship of the Republic of Kazakhstan
reg_citizenship_check | mia | c | 5d | application | 0 | e | y | Қазақстан Республикасының азаматтығына тиесілігін анықтау | Определение принадлежности к гражданству Республики Казахстан | Determining whether a person is a citizen of the Republic of Kazakhstan
> 2021-07-01 | ch=ce
reg_stateless_card | mia | c | 15d | application;photo;receipt | 1535 | p | n | Азаматтығы жоқ адамның куәлігін беру | Выдача удостоверения лица без гражданства | Issuing a stateless person's certificate
reg_residence_permit | mia | c | 15d | application;national passport;photo;medical certificate;receipt | 1535 | p | n | Шетелдікке Қазақстан Республикасында тұруға ықтиярхат беру | Выдача вида на жительство иностранцу в Республике Казахстан | Issuing a residence permit to a foreigner
reg_temp_residence | mia | ce | 5d | application;national passport;basis for stay | 0 | e | n | Шетелдіктер мен азаматтығы жоқ адамдарға уақытша тұруға рұқсат беру | Выдача разрешений на временное проживание иностранцам и лицам без гражданства | Issuing temporary residence permits to foreigners and stateless persons
reg_permanent_residence | mia | b | 30c | application;national passport;proof of income;certificate of no criminal record | 0 | p | n | Шетелдіктер мен азаматтығы жоқ адамдарға Қазақстан Республикасында тұрақты тұруға рұқсат беру | Выдача разрешений на постоянное проживание в Республике Казахстан иностранцам и лицам без гражданства | Issuing permanent residence permits to foreigners and stateless persons
reg_foreigner | mia | ce | 1d | national passport;migration card | 0 | e | y | Шетелдіктер мен азаматтығы жоқ адамдарды тіркеу | Регистрация иностранцев и лиц без гражданства | Registration of foreigners and stateless persons
reg_visa | mia | ce | 5d | application;national passport;invitation;receipt | 0 | e | n | Шетелдіктер мен азаматтығы жоқ адамдарға визаларды беру және олардың қолданылу мерзімін ұзарту | Выдача и продление виз иностранцам и лицам без гражданства | Issuing and extending visas for foreigners and stateless persons
reg_kandas | akimat | cb | 10d | application;national passport;photo | 0 | e | n | Қандас мәртебесін беру | Присвоение или продление статуса кандаса | Granting or extending the status of a kandas (ethnic Kazakh returnee)
> 2022-01-01 | ch=ce
reg_refugee | mia | b | 90c | application;identity document;explanation of reasons | 0 | p | n | Босқын мәртебесін беру | Присвоение статуса беженца | Granting refugee status
reg_emigration | mia | c | 15d | application;identity card;notarised consent | 0 | p | n | Қазақстан Республикасынан тыс жерге тұрақты тұруға шығу үшін құжаттарды ресімдеу | Оформление документов на выезд за пределы Республики Казахстан на постоянное место жительства | Processing documents for emigration from the Republic of Kazakhstan
reg_eds | mddiai | ce | 30m | identity card | 0 | e | y | Электрондық цифрлық қолтаңбаның тіркеу куәліктерін беру | Выдача регистрационных свидетельств электронной цифровой подписи | Issuing registration certificates of an electronic digital signature
reg_eds_revoke | mddiai | ce | 30m | identity card | 0 | e | y | Электрондық цифрлық қолтаңбаның тіркеу куәліктерін кері қайтарып алу | Отзыв регистрационных свидетельств электронной цифровой подписи | Revoking registration certificates of an electronic digital signature
reg_military | mod | cb | 1d | identity card;education document;photo | 0 | p | n | Әскери міндеттілер мен әскерге шақырылушыларды әскери есепке қою | Постановка на воинский учет военнообязанных и призывников | Placing conscripts and persons liable for military service on the military register
> 2022-01-01 | ch=ceb form=e auto=y
reg_military_off | mod | cb | 1d | identity card;military ID | 0 | p | n | Әскери міндеттілер мен әскерге шақырылушыларды әскери есептен шығару | Снятие с воинского учета военнообязанных и призывников | Removing conscripts and persons liable for military service from the military register
> 2022-01-01 | ch=ceb form=e auto=y
reg_military_id | mod | b | 5d | application;identity card;photo | 0 | p | n | Әскери билет беру | Выдача военного билета | Issuing a military ID
reg_conscript_cert | mod | b | 1d | identity card;photo | 0 | p | n | Шақыру учаскесіне тіркеу туралы куәлік беру | Выдача удостоверения о приписке к призывному участку | Issuing a certificate of enrolment at a conscription station
reg_military_service_cert | mod | cb | 5d | application;identity card | 0 | p | n | Әскери қызмет өткергені туралы анықтама беру | Выдача справки о прохождении воинской службы | Issuing a certificate of military service
> 2021-07-01 | ch=ceb dl=1d form=e auto=y
reg_deferment | mod | b | 5d | application;supporting documents | 0 | p | n | Әскери қызметке шақырудан кейінге қалдыруды немесе босатуды ұсыну | Предоставление отсрочки или освобождения от призыва на воинскую службу | Granting a deferment or exemption from conscription
reg_military_school | mod | b | 30c | application;education document;medical examination | 0 | p | n | Әскери оқу орындарына түсу үшін құжаттарды қабылдау | Прием документов для поступления в военные учебные заведения | Accepting applications to military educational institutions
reg_combat_veteran | mod | cb | 15d | application;identity card;supporting documents | 0 | p | n | Ұрыс қимылдарына қатысқаны туралы анықтама беру | Выдача справки об участии в боевых действиях | Issuing a certificate of participation in combat operations
reg_consular | mfa | b | 5d | application;document to legalise;receipt | 2651 | p | n | Құжаттарды консулдық заңдастыру | Консульская легализация документов | Consular legalisation of documents
reg_docs_abroad | mfa | b | 30c | application;identity card;power of attorney | 0 | p | n | Шет мемлекеттердің аумағынан құжаттарды талап ету | Истребование документов с территории иностранных государств | Requesting documents from the territory of foreign states
> 2022-01-01 | ch=ce
reg_return_cert | mfa | b | 3d | application;photo;explanation of loss | 0 | p | n | Қазақстан Республикасына оралуға куәлік беру | Выдача свидетельства на возвращение в Республику Казахстан | Issuing a certificate of return to the Republic of Kazakhstan
## transport
driver_licence | mia | c | 1d | medical certificate;exam results;receipt | 1842 | p | n | Жүргізуші куәлігін беру | Выдача водительского удостоверения | Issuing a driving licence
transport_licence_swap | mia | c | 1d | driving licence;medical certificate;receipt | 1842 | p | n | Жүргізуші куәлігін ауыстыру | Замена водительского удостоверения | Replacing a driving licence
> 2021-09-01 | ch=ce form=b
transport_intl_licence | mia | c | 1d | driving licence;photo;receipt | 1842 | p | n | Халықаралық жүргізуші куәлігін беру | Выдача международного водительского удостоверения | Issuing an international driving permit
vehicle_reg | mia | c | 1d | identity card;purchase contract;insurance | 0 | b | n | Көлік құралын тіркеу | Регистрация транспортного средства | Registration of a vehicle
> 2022-03-01 | ch=ce
transport_vehicle_off | mia | ce | 1d | application;registration certificate | 0 | e | y | Көлік құралын тіркеуден шығару | Снятие транспортного средства с учета | Deregistration of a vehicle
transport_vehicle_temp | mia | c | 1d | identity card;power of attorney;registration certificate | 0 | p | n | Көлік құралын уақытша тіркеу | Временная регистрация транспортного средства | Temporary registration of a vehicle
> 2022-03-01 | ch=ce form=e auto=y
transport_plates | mia | c | 1d | application;registration certificate;receipt | 0 | p | n | Мемлекеттік тіркеу нөмірі белгілерін беру | Выдача государственных регистрационных номерных знаков | Issuing state registration plates
transport_reg_duplicate | mia | ce | 1d | application;identity card | 0 | b | n | Көлік құралын тіркеу туралы куәліктің телнұсқасын беру | Выдача дубликата свидетельства о регистрации транспортного средства | Issuing a duplicate of a vehicle registration certificate
transport_vehicle_info | mia | e | 30m | identity card | 0 | e | y | Тіркелген көлік құралдары туралы мәліметтер беру | Выдача сведений о зарегистрированных транспортных средствах | Information on registered vehicles
transport_tractor_reg | akimat | cb | 5d | application;purchase contract;identity card | 0 | p | n | Тракторларды және олардың базасында жасалған өздігінен жүретін шассилер мен механизмдерді тіркеу | Государственная регистрация тракторов и изготовленных на их базе самоходных шасси и механизмов | Registration of tractors and self-propelled machinery
> 2023-01-01 | ch=ceb form=e auto=y
transport_tractor_licence | akimat | cb | 5d | application;exam results;medical certificate;photo | 0 | p | n | Тракторшы-машинистке куәлік беру | Выдача удостоверения тракториста-машиниста | Issuing a tractor driver's licence
transport_heavy_permit | miid>mt | e | 1d | application;vehicle details;route | 0 | e | y | Ауыр салмақты және ірі габаритті автокөлік құралдарының жүруіне арнайы рұқсат беру | Выдача специального разрешения на проезд тяжеловесных и крупногабаритных транспортных средств | Special permit for heavy and oversize vehicles
transport_intl_permit | miid>mt | e | 3d | application;vehicle registration certificate | 0 | e | y | Халықаралық автомобиль тасымалдарына рұқсат бланкілерін беру | Выдача бланков разрешений на международные автомобильные перевозки | Issuing permits for international road transport
transport_dangerous | miid>mt | e | 5d | application;driver's ADR certificate;vehicle approval | 0 | e | n | Қауіпті жүктерді тасымалдауға рұқсат беру | Выдача разрешения на перевозку опасных грузов | Permit to carry dangerous goods
transport_bus_licence | miid>mt | e | 5d | application;vehicle list | 0 | e | y | Жолаушыларды автобустармен тұрақты тасымалдау қызметін жүзеге асыруға лицензия беру | Выдача лицензии на осуществление деятельности по перевозке пассажиров автобусами | Licence for the carriage of passengers by bus
transport_tachograph | miid>mt | ce | 10d | application;identity card;photo | 0 | b | n | Тахограф карточкаларын беру | Выдача карточек тахографа | Issuing tachograph cards
transport_rail_licence | miid>mt | e | 15d | application;rolling stock documents | 0 | e | n | Темір жол көлігімен тасымалдау қызметіне лицензия беру | Выдача лицензии на перевозочную деятельность на железнодорожном транспорте | Licence for carriage by rail
transport_aircraft_reg | miid>mt | b | 10d | application;ownership documents;airworthiness certificate | 0 | p | n | Азаматтық әуе кемелерін мемлекеттік тіркеу | Государственная регистрация гражданских воздушных судов | State registration of civil aircraft
transport_pilot_cert | miid>mt | b | 10d | application;training certificate;medical certificate | 0 | p | n | Авиация персоналына куәлік беру | Выдача свидетельства авиационного персонала | Issuing aviation personnel licences
> 2022-07-01 | ch=eb form=e
transport_ship_reg | miid>mt | b | 10d | application;ownership documents;survey certificate | 0 | p | n | Кемелерді Мемлекеттік кеме тізілімінде тіркеу | Государственная регистрация судов в Государственном судовом реестре | Registration of ships in the State Ship Register
transport_small_boat | mia>mes | b | 5d | application;purchase contract;technical inspection | 0 | p | n | Шағын көлемді кемелерді мемлекеттік тіркеу | Государственная регистрация маломерных судов | State registration of small boats
> 2022-01-01 | ch=eb form=e
transport_boat_licence | mia>mes | b | 5d | application;exam results;medical certificate | 0 | p | n | Шағын көлемді кемелерді басқару құқығына куәлік беру | Выдача удостоверения на право управления маломерным судном | Issuing a small-boat skipper's licence
transport_taxi | akimat | e | 1d | notification;vehicle registration certificate | 0 | e | y | Такси қызметін бастағаны туралы хабарлама қабылдау | Прием уведомления о начале деятельности по перевозке пассажиров такси | Notification of starting a taxi business
transport_driving_school | akimat | eb | 10d | application;curriculum;premises documents | 0 | e | n | Жүргізушілерді даярлайтын ұйымдарды тексеру және олардың сәйкестігі туралы куәлік беру | Выдача свидетельства о соответствии организаций образования, осуществляющих подготовку водителей | Certificate of conformity for driving schools
transport_road_works | akimat | eb | 5d | application;traffic scheme | 0 | e | n | Автомобиль жолдарының бөлінген белдеуінде жұмыстар жүргізуге келісім беру | Согласование производства работ в полосе отвода автомобильных дорог | Approval of works in the right of way of a road

## business
biz_entrepreneur | minfin | e | 1d | application | 0 | e | y | Жеке кәсіпкерлік қызметтің басталғаны туралы хабарлама қабылдау (дара кәсіпкерді тіркеу) | Регистрация индивидуального предпринимателя (прием уведомления о начале деятельности) | Registration of an individual entrepreneur (notification of starting business)
biz_entrepreneur_stop | minfin | ce | 1d | application | 0 | e | y | Дара кәсіпкер қызметінің тоқтатылғаны туралы хабарлама қабылдау | Прием уведомления о прекращении деятельности индивидуального предпринимателя | Notification of an individual entrepreneur ceasing business
biz_legal_entity | moj | ce | 1d | application;charter | 0 | e | y | Заңды тұлғаны мемлекеттік тіркеу | Государственная регистрация юридического лица | State registration of a legal entity
biz_legal_reregister | moj | ce | 1d | application;amended charter | 0 | e | y | Заңды тұлғаларды мемлекеттік қайта тіркеу | Государственная перерегистрация юридических лиц | State re-registration of legal entities
biz_branch | moj | ce | 1d | application;regulation of the branch | 0 | e | y | Заңды тұлғалардың филиалдары мен өкілдіктерін есептік тіркеу | Учетная регистрация филиалов и представительств юридических лиц | Registration of branches and representative offices of legal entities
biz_liquidation | moj | ce | 1d | application;liquidation balance sheet | 0 | e | n | Заңды тұлғаның қызметін тоқтатуды мемлекеттік тіркеу | Государственная регистрация прекращения деятельности юридического лица | State registration of the liquidation of a legal entity
biz_charter_changes | moj | ce | 1d | application;decision of the founders | 0 | e | y | Заңды тұлғалардың құрылтай құжаттарына енгізілген өзгерістерді тіркеу | Регистрация изменений в учредительных документах юридических лиц | Registration of changes to the founding documents of legal entities
biz_register_extract | moj | ce | 30m | - | 0 | e | y | Заңды тұлғалардың ұлттық тізілімінен анықтама беру | Выдача справки из Национального реестра бизнес-идентификационных номеров | Certificate from the National Register of Business Identification Numbers
biz_security_licence | mia | e | 15d | application;staff list;premises documents | 2651 | e | n | Күзет қызметімен айналысуға лицензия беру | Выдача лицензии на осуществление охранной деятельности | Licence for private security activity
biz_weapons_licence | mia | e | 15d | application;premises certificate;staff qualifications | 2651 | e | n | Азаматтық және қызметтік қаруды айналымға шығару қызметіне лицензия беру | Выдача лицензии на оборот гражданского и служебного оружия | Licence for trade in civilian and service weapons
biz_weapon_permit | mia | cb | 15d | application;medical certificate;safe storage certificate;receipt | 1228 | p | n | Азаматтық қаруды сатып алуға, сақтауға және алып жүруге рұқсат беру | Выдача разрешения на приобретение, хранение и ношение гражданского оружия | Permit to acquire, keep and carry civilian weapons
biz_pyrotechnics | mia | e | 10d | application;storage documents | 0 | e | n | Пиротехникалық заттар мен бұйымдар айналымына лицензия беру | Выдача лицензии на оборот пиротехнических веществ и изделий | Licence for trade in pyrotechnic substances and articles
biz_medical_licence | akimat | e | 15d | application;staff qualifications;premises documents | 2651 | e | n | Медициналық қызметке лицензия беру | Выдача лицензии на медицинскую деятельность | Licence for medical practice
biz_pharma_licence | akimat | e | 15d | application;pharmacist's diploma;premises documents | 2651 | e | n | Фармацевтикалық қызметке лицензия беру | Выдача лицензии на фармацевтическую деятельность | Licence for pharmaceutical activity
biz_education_licence | mesc>medu | e | 30c | application;curricula;premises documents;staff list | 6530 | e | n | Білім беру қызметімен айналысуға лицензия беру | Выдача лицензии на занятие образовательной деятельностью | Licence for educational activity
> 2022-01-01 | dl=15d
biz_telecom_licence | mddiai | e | 15d | application;technical documents | 2651 | e | y | Телекоммуникация саласындағы қызметтерді көрсетуге лицензия беру | Выдача лицензии на предоставление услуг в области связи | Licence for telecommunications services
biz_radio_frequency | mddiai | e | 30c | application;technical parameters | 0 | e | n | Радиожиілік спектрін пайдалануға рұқсат беру | Выдача разрешения на использование радиочастотного спектра | Permit to use the radio frequency spectrum
biz_digital_mining | mddiai | e | 15d | application;equipment list;power supply contract | 0 | e | n | Цифрлық майнинг саласындағы қызметке лицензия беру | Выдача лицензии на деятельность в сфере цифрового майнинга | Licence for digital mining | from=2023-04-01
biz_bank_licence | ardfm | b | 90c | application;charter;business plan;capital documents | 0 | p | n | Банк операцияларын жүргізуге лицензия беру | Выдача лицензии на проведение банковских операций | Licence for banking operations
> 2022-01-01 | ch=eb form=e
biz_insurance_licence | ardfm | b | 60c | application;charter;insurance rules | 0 | p | n | Сақтандыру (қайта сақтандыру) қызметімен айналысуға лицензия беру | Выдача лицензии на право осуществления страховой (перестраховочной) деятельности | Licence for insurance and reinsurance activity
> 2022-01-01 | ch=eb form=e
biz_microfinance | ardfm | e | 30c | application;charter;credit policy | 0 | e | n | Микроқаржылық қызметке лицензия беру | Выдача лицензии на осуществление микрофинансовой деятельности | Licence for microfinance activity
biz_securities_licence | ardfm | b | 60c | application;charter;internal rules | 0 | p | n | Бағалы қағаздар нарығындағы қызметке лицензия беру | Выдача лицензии на осуществление деятельности на рынке ценных бумаг | Licence for activity on the securities market
biz_audit_licence | minfin | e | 15d | application;auditors' certificates | 0 | e | y | Аудиторлық қызметпен айналысуға лицензия беру | Выдача лицензии на занятие аудиторской деятельностью | Licence for audit activity
biz_appraiser | moj | e | 1d | notification;qualification certificate;liability insurance | 0 | e | y | Бағалау қызметінің басталғаны туралы хабарлама қабылдау | Прием уведомления о начале деятельности оценщика | Notification of starting appraisal activity
biz_gambling | mcs>mts | e | 15d | application;premises documents;equipment certificates | 0 | e | n | Ойын бизнесі саласындағы қызметке лицензия беру | Выдача лицензии на деятельность в сфере игорного бизнеса | Licence for gambling business
biz_alcohol_production | minfin | e | 15d | application;production documents;laboratory certificate | 0 | e | n | Алкоголь өнімін өндіруге лицензия беру | Выдача лицензии на производство алкогольной продукции | Licence to produce alcoholic beverages
biz_tobacco_production | minfin | e | 15d | application;production documents | 0 | e | n | Темекі бұйымдарын өндіруге лицензия беру | Выдача лицензии на производство табачных изделий | Licence to produce tobacco products
biz_oil_products | moe | e | 15d | application;equipment documents | 0 | e | n | Мұнай өнімдерін өндіру қызметіне лицензия беру | Выдача лицензии на деятельность по производству нефтепродуктов | Licence to produce petroleum products
biz_gas_network | moe | e | 15d | application;technical documents | 0 | e | n | Газ және газбен жабдықтау саласындағы қызметке лицензия беру | Выдача лицензии на деятельность в сфере газа и газоснабжения | Licence for activity in gas supply
biz_energy_licence | moe | e | 15d | application;staff qualifications;equipment list | 0 | e | n | Электр энергиясын өндіру, беру және тарату жөніндегі қызметке лицензия беру | Выдача лицензии на деятельность по производству, передаче и распределению электрической энергии | Licence for generating, transmitting and distributing electricity
biz_subsoil_solid | miid>mic | e | 10d | application;work programme | 0 | e | n | Қатты пайдалы қазбаларды барлауға лицензия беру | Выдача лицензии на разведку твердых полезных ископаемых | Licence for the exploration of solid minerals
biz_mining_licence | miid>mic | e | 15d | application;mining plan;environmental permit | 0 | e | n | Қатты пайдалы қазбаларды өндіруге лицензия беру | Выдача лицензии на добычу твердых полезных ископаемых | Licence for mining solid minerals
biz_industrial_safety | mia>mes | e | 15d | application;expert opinion | 0 | e | n | Қауіпті өндірістік объектілерде технологиялар мен техникалық құрылғыларды қолдануға рұқсат беру | Выдача разрешения на применение технологий и технических устройств на опасных производственных объектах | Permit for technical devices at hazardous industrial facilities
biz_fire_audit | mia>mes | e | 15d | application;staff qualifications | 0 | e | n | Өрт қауіпсіздігі саласындағы сараптама ұйымдарын аккредиттеу | Аккредитация экспертных организаций в области пожарной безопасности | Accreditation of fire-safety expert organisations
biz_rescue_attest | mia>mes | b | 30c | application;staff list;equipment list | 0 | p | n | Авариялық-құтқару қызметтері мен құралымдарын аттестаттау | Аттестация аварийно-спасательных служб и формирований | Certification of emergency rescue services
biz_notify_start | akimat | e | 1d | notification | 0 | e | y | Қызметтің немесе әрекеттің басталғаны туралы хабарламаларды қабылдау | Прием уведомлений о начале или прекращении осуществления деятельности или определенных действий | Notifications of starting or ceasing an activity
biz_tour_operator | akimat | b | 10d | application;liability insurance;staff qualifications | 2651 | e | n | Туроператорлық қызметке лицензия беру | Выдача лицензии на туроператорскую деятельность | Licence for tour operators
> 2021-07-01 | ch=e
biz_outdoor_ads | akimat | e | 5d | application;design of the structure | 0 | e | y | Сыртқы (көрнекі) жарнаманы орналастыруға рұқсат беру | Выдача разрешения на размещение наружной (визуальной) рекламы | Permit to place outdoor advertising
> 2022-01-01 | dl=3d
biz_market_permit | akimat | b | 10d | application;site plan | 0 | p | n | Сауда базарын ашуға келісім беру | Согласование открытия торгового рынка | Approval to open a market
x 2021-12-31
biz_msb_subsidy | akimat | e | 10d | application;loan agreement;business plan | 0 | e | n | Кредиттер бойынша сыйақы мөлшерлемесін субсидиялау және кепілдік беру (кәсіпкерлікті қолдау) | Субсидирование ставки вознаграждения и гарантирование кредитов субъектов предпринимательства | Subsidised interest and loan guarantees for businesses
biz_investor_visa | mfa | e | 10d | application;investment documents | 0 | e | n | Инвесторға виза беру | Выдача инвесторской визы | Issuing an investor visa | from=2022-01-01
biz_foreign_labour | akimat | e | 7d | application;list of foreign workers;qualification documents | 0 | e | n | Жұмыс берушілерге шетелдік жұмыс күшін тартуға рұқсат беру | Выдача разрешений иностранному работнику или работодателю на привлечение иностранной рабочей силы | Permit to employers to engage foreign workers
biz_labour_migrant | mia | ce | 10d | application;national passport;medical certificate;advance income tax | 0 | e | y | Еңбекші көшіп келушіге рұқсат беру | Выдача разрешений трудовым иммигрантам | Permits for labour immigrants
biz_platform_work | minfin | e | 1d | application | 0 | e | y | Интернет-платформалар арқылы жұмыс істейтін адамдарды салық төлеуші ретінде тіркеу | Регистрация лиц, занятых на интернет-платформах, в качестве налогоплательщиков | Registration of internet-platform workers as taxpayers | from=2023-01-01
biz_precious_metals | minfin | e | 15d | application;premises documents | 0 | e | n | Бағалы металдар мен асыл тастар айналымы жөніндегі қызмет туралы хабарлама қабылдау | Прием уведомления о деятельности по обороту драгоценных металлов и драгоценных камней | Notification of trade in precious metals and stones
biz_afm_registration | afm | e | 1d | notification | 0 | e | y | Қаржы мониторингі субъектілерін есепке қою | Постановка на учет субъектов финансового мониторинга | Registration of entities subject to financial monitoring | from=2021-03-01
biz_competition | mne>apdc | b | 30c | application;transaction documents | 0 | p | n | Экономикалық шоғырлануға келісім беру | Выдача согласия на экономическую концентрацию | Consent to economic concentration
> 2022-07-01 | ch=eb form=e
## trade
trade_export_licence | mti | e | 5d | contract;certificate of origin | 0 | e | y | Тауарлар экспортына лицензия беру | Выдача лицензии на экспорт товаров | Export licence
trade_import_licence | mti | e | 5d | contract;technical documents | 0 | e | y | Тауарлар импортына лицензия беру | Выдача лицензии на импорт товаров | Import licence
trade_dual_use | mti | e | 15d | application;contract;end-user certificate | 0 | e | n | Экспорттық бақылауға жататын өнімнің экспортына лицензия беру | Выдача лицензии на экспорт продукции, подлежащей экспортному контролю | Export licence for controlled (dual-use) goods
trade_quota | mti | e | 10d | application;contract | 0 | e | n | Тарифтік квоталарды бөлу | Распределение тарифных квот | Allocation of tariff quotas
trade_origin_cert | mti | ce | 1d | application;invoice;contract | 0 | b | n | Тауардың шығарылған жері туралы сертификат беру | Выдача сертификата о происхождении товара | Issuing a certificate of origin of goods
> 2022-01-01 | ch=e form=e auto=y
trade_alcohol_retail | akimat | e | 10d | application;premises documents | 0 | e | y | Алкоголь өнімін сақтауға және бөлшек саудада өткізуге лицензия беру | Выдача лицензии на хранение и розничную реализацию алкогольной продукции | Licence to store and sell alcoholic beverages at retail
trade_tobacco_notify | akimat | e | 1d | notification | 0 | e | y | Темекі бұйымдарын бөлшек саудада өткізу туралы хабарлама қабылдау | Прием уведомления о розничной реализации табачных изделий | Notification of retail sales of tobacco products | from=2021-01-01
trade_grain_licence | moa | e | 10d | application;elevator documents;laboratory certificate | 0 | e | n | Астық қолхаттарын беру арқылы астық қоймасы қызметтерін көрсетуге лицензия беру | Выдача лицензии на оказание услуг по складской деятельности с выпуском зерновых расписок | Licence for grain warehouses issuing grain receipts
trade_ecommerce | mti | e | 5d | application;website details | 0 | e | y | Электрондық сауда субъектілерін тізілімге енгізу | Включение субъектов электронной торговли в реестр | Entering e-commerce operators in the register | from=2023-07-01
## taxes
tax_certificate | minfin | e | 1h | - | 0 | e | y | Салық берешегінің жоқтығы туралы анықтама | Справка об отсутствии налоговой задолженности | Certificate of no tax arrears
tax_registration | minfin | eb | 1d | application | 0 | e | y | Салық төлеуші ретінде тіркеу | Регистрация в качестве налогоплательщика | Registration as a taxpayer
tax_vat_reg | minfin | eb | 3d | application | 0 | e | y | Қосылған құн салығы бойынша тіркеу есебіне қою | Постановка на регистрационный учет по налогу на добавленную стоимость | Registration for value added tax
tax_vat_dereg | minfin | eb | 10d | application | 0 | e | n | Қосылған құн салығы бойынша тіркеу есебінен шығару | Снятие с регистрационного учета по налогу на добавленную стоимость | Deregistration for value added tax
tax_residency | minfin | e | 10d | application;supporting documents | 0 | e | n | Резиденттігін растау | Подтверждение резидентства | Confirmation of tax residency
> 2022-01-01 | dl=5d auto=y
tax_income_cert | minfin | e | 30m | - | 0 | e | y | Төлем көзінен ұсталған табыс және салық сомалары туралы анықтама беру | Выдача справки о суммах полученных доходов и удержанных налогов | Certificate of income received and taxes withheld
tax_refund | minfin | eb | 15d | application;payment documents | 0 | e | n | Салықтың артық төленген сомасын қайтару | Возврат излишне уплаченных сумм налогов | Refund of overpaid taxes
> 2022-01-01 | dl=10d auto=y
tax_offset | minfin | eb | 15d | application | 0 | e | n | Салықтардың артық төленген сомаларын есепке жатқызу | Зачет излишне уплаченных сумм налогов | Offset of overpaid taxes
tax_cash_register | minfin | e | 1d | application;device details | 0 | e | y | Бақылау-касса машинасын тіркеу есебіне қою | Постановка на учет контрольно-кассовой машины | Registration of a cash register
tax_cash_register_off | minfin | e | 1d | application | 0 | e | y | Бақылау-касса машинасын тіркеу есебінен шығару | Снятие с учета контрольно-кассовой машины | Deregistration of a cash register
tax_declaration | minfin | eb | 1d | tax return | 0 | e | y | Салықтық есептілікті қабылдау | Прием налоговой отчетности | Filing tax returns
tax_asset_declaration | minfin | ceb | 1d | declaration of assets and liabilities | 0 | e | y | Жеке тұлғалардың активтері мен міндеттемелері туралы декларацияны қабылдау | Прием декларации об активах и обязательствах физических лиц | Filing an individual's declaration of assets and liabilities | from=2021-01-01
tax_income_declaration | minfin | ceb | 1d | declaration of income and property | 0 | e | y | Жеке тұлғалардың кірістері мен мүлкі туралы декларацияны қабылдау | Прием декларации о доходах и имуществе физических лиц | Filing an individual's declaration of income and property | from=2021-01-01
tax_excise_stamps | minfin | eb | 5d | application;payment document | 0 | b | n | Акциздік және есептік-бақылау маркаларын беру | Выдача акцизных и учетно-контрольных марок | Issuing excise and control stamps
tax_debt_info | minfin | e | 5m | - | 0 | e | y | Салық төлеушінің бюджетпен есеп айырысулары туралы мәліметтер беру | Предоставление сведений о состоянии расчетов с бюджетом | Statement of settlements with the budget
tax_customs_declaration | minfin | e | 4h | customs declaration;invoice;contract | 0 | e | y | Тауарларға арналған декларацияны тіркеу және тауарларды шығару | Регистрация декларации на товары и выпуск товаров | Registering a goods declaration and releasing goods
> 2022-01-01 | dl=2h
tax_customs_broker | minfin | e | 15d | application;liability insurance;staff certificates | 0 | e | n | Кеден өкілдерінің тізіліміне енгізу | Включение в реестр таможенных представителей | Entering the register of customs representatives
tax_aeo | minfin | e | 30c | application;financial statements;security documents | 0 | e | n | Уәкілетті экономикалық оператордың тізіліміне енгізу | Включение в реестр уполномоченных экономических операторов | Entering the register of authorised economic operators
tax_customs_value | minfin | e | 5d | application;contract;invoice | 0 | e | n | Тауарлардың кедендік құнын түзету | Корректировка таможенной стоимости товаров | Adjustment of the customs value of goods
x 2021-12-31

## justice
justice_criminal_record | gpo | ec | 30m | identity card | 0 | e | y | Соттылығының болуы не болмауы туралы анықтама беру | Выдача справки о наличии либо отсутствии судимости | Certificate of the presence or absence of a criminal record
justice_offence_record | gpo | ec | 30m | identity card | 0 | e | y | Әкімшілік құқық бұзушылық жасағаны туралы мәліметтердің болуы не болмауы туралы анықтама беру | Выдача справки о наличии либо отсутствии сведений о совершении административных правонарушений | Certificate of the presence or absence of administrative offences
justice_apostille | moj | ce | 5d | document;receipt | 1228 | p | n | Ресми құжаттарға апостиль қою | Проставление апостиля на официальных документах | Apostille on official documents
> 2022-01-01 | dl=3d
justice_notary_licence | moj | e | 15d | application;exam results;internship certificate | 2651 | e | n | Нотариаттық қызметпен айналысуға лицензия беру | Выдача лицензии на занятие нотариальной деятельностью | Licence for notarial practice
justice_notary_exam | moj | e | 30c | application;diploma;work record | 0 | e | n | Нотариаттық қызметпен айналысу құқығына біліктілік емтиханына жіберу | Допуск к квалификационному экзамену на право занятия нотариальной деятельностью | Admission to the notaries' qualification examination
justice_advocate | moj | e | 15d | application;exam results | 0 | e | n | Адвокаттық қызметпен айналысуға лицензия беру | Выдача лицензии на занятие адвокатской деятельностью | Licence to practise as an advocate
x 2021-12-31
justice_bailiff | moj | e | 15d | application;exam results;internship certificate | 0 | e | n | Жеке сот орындаушысының қызметімен айналысуға лицензия беру | Выдача лицензии на занятие деятельностью частного судебного исполнителя | Licence for private bailiffs
justice_forensic | moj | e | 15d | application;qualification certificate | 0 | e | n | Сот-сараптама қызметімен айналысуға лицензия беру | Выдача лицензии на занятие судебно-экспертной деятельностью | Licence for forensic expert activity
justice_pledge | moj | ce | 1d | application;pledge agreement;receipt | 1228 | e | y | Жылжымалы мүлік кепілін тіркеу | Регистрация залога движимого имущества, не подлежащего обязательной государственной регистрации | Registration of a pledge of movable property
justice_debtor_check | moj | e | 15m | identity card | 0 | e | y | Борышкерлердің бірыңғай тізілімінен мәліметтер беру | Выдача сведений из Единого реестра должников | Information from the Single Register of Debtors
justice_departure_ban | moj | e | 15m | identity card | 0 | e | y | Қазақстан Республикасынан шығуға уақытша шектеудің болуы немесе болмауы туралы анықтама беру | Выдача справки о наличии или отсутствии временного ограничения на выезд из Республики Казахстан | Certificate of a temporary ban on leaving the country (or none)
justice_trademark | moj | e | 210c | application;image of the mark;receipt | 11000 | e | n | Тауар белгісін тіркеу | Государственная регистрация товарного знака | Registration of a trademark
> 2022-01-01 | dl=150c
justice_copyright | moj | e | 1d | application;copy of the work;receipt | 0 | e | y | Авторлық құқық объектілеріне құқықтарды мемлекеттік тізілімге мәліметтер енгізу | Внесение сведений в государственный реестр прав на объекты, охраняемые авторским правом | Entering rights to copyright works in the state register
justice_patent | moj | e | 180c | application;description;claims;receipt | 0 | e | n | Өнертабысқа патент беру | Выдача патента на изобретение | Patent for an invention
justice_legal_aid | moj | b | 5d | application;proof of low income | 0 | p | n | Кепілдік берілген тегін заң көмегін ұсыну | Оказание гарантированной государством юридической помощи | State-guaranteed free legal aid
justice_court_copy | courts_dept | eb | 5d | application;identity card | 0 | b | n | Сот актілерінің көшірмелерін беру | Выдача копий судебных актов | Copies of court decisions
justice_e_claim | courts_dept | e | 30m | claim | 0 | e | y | Сотқа электрондық нысанда талап арыз беру | Подача искового заявления в суд в электронной форме | Filing a claim with a court electronically
justice_enforcement | moj | eb | 3d | writ of execution;application | 0 | e | n | Атқару құжатын орындауға қабылдау | Прием исполнительного документа к исполнению | Accepting a writ of execution for enforcement
## land
land_plot | akimat | be | 20d | application;land plan | 0 | p | n | Жер учаскесіне құқық беру | Предоставление права на земельный участок | Granting the right to a land plot
> 2023-01-01 | ch=e dl=15d form=e auto=y
land_cadastral_plan | akimat | ce | 5d | identity card;title deed | 0 | e | y | Жер-кадастрлық жоспар беру | Выдача земельно-кадастрового плана | Issuing a land cadastral plan
land_id_document | akimat | ce | 10d | application;decision granting the plot | 0 | b | n | Жер учаскесіне сәйкестендіру құжатын дайындау және беру | Изготовление и выдача идентификационного документа на земельный участок | Issuing an identification document for a land plot
> 2022-01-01 | dl=7d form=e auto=y
land_purpose_change | akimat | be | 30c | application;title deed;land use plan | 0 | p | n | Жер учаскесінің нысаналы мақсатын өзгерту | Изменение целевого назначения земельного участка | Changing the designated purpose of a land plot
> 2022-07-01 | ch=e dl=20d form=e
land_survey_permit | akimat | b | 5d | application;plan of the works | 0 | e | y | Жер учаскесінде зерттеу жұмыстарын жүргізуге рұқсат беру | Выдача разрешения на использование земельного участка для изыскательских работ | Permit to use a land plot for survey works
> 2021-01-01 | ch=e
land_housing_plot | akimat | cbe | 30c | application;identity card | 0 | p | n | Жеке тұрғын үй құрылысы үшін жер учаскесіне кезекке қою | Постановка на очередь на получение земельного участка для индивидуального жилищного строительства | Waiting list for a plot for individual housing construction
> 2022-01-01 | ch=e form=e auto=y dl=5d
land_division | akimat | be | 15d | application;title deed;division plan | 0 | p | n | Жер учаскесінің бөлінетінін және бөлінбейтінін анықтау | Определение делимости и неделимости земельных участков | Determining whether a land plot is divisible
land_information | akimat | ce | 5d | application | 0 | e | y | Жер кадастрынан ақпарат беру | Предоставление информации из земельного кадастра | Information from the land cadastre
> 2021-01-01 | ch=e dl=1d
land_agri_lease | akimat | be | 30c | application;business plan | 0 | p | n | Ауыл шаруашылығы мақсатындағы жер учаскесін уақытша өтеулі жер пайдалануға беру | Предоставление земельного участка сельскохозяйственного назначения во временное возмездное землепользование | Lease of agricultural land
> 2022-01-01 | ch=e form=e
land_auction | akimat | e | 30c | application;deposit receipt | 0 | e | n | Жер учаскелерін (жерді жалдау құқығын) сауда-саттықта сату | Продажа земельных участков (права аренды) на торгах (аукционах) | Sale of land plots or lease rights at auction
land_purchase | akimat | be | 15d | application;title deed;payment document | 0 | p | n | Жалға берілген жер учаскесін жеке меншікке сату | Продажа в частную собственность арендуемого земельного участка | Sale of a leased land plot into private ownership
land_easement | akimat | b | 15d | application;agreement | 0 | p | n | Жер учаскесіне сервитут белгілеу | Установление сервитута на земельный участок | Establishing an easement on a land plot
land_pasture | akimat | b | 15d | application;livestock count | 0 | p | n | Жайылымдарды пайдалануға беру | Предоставление пастбищ в пользование | Allotting pastures
land_project_approval | akimat | be | 10d | application;land use project | 0 | p | n | Жерге орналастыру жобасын бекіту | Утверждение землеустроительного проекта | Approval of a land management project
> 2023-01-01 | ch=e form=e
land_reclamation | akimat | b | 15d | application;reclamation project | 0 | p | n | Бұзылған жерлерді қалпына келтіру жұмыстарының жобасын келісу | Согласование проекта рекультивации нарушенных земель | Approval of a land reclamation project
land_boundary | akimat | ce | 15d | application;title deed | 0 | b | n | Жер учаскесінің шекараларын жергілікті жерде белгілеу | Восстановление границ земельного участка на местности | Restoring the boundaries of a land plot on the ground
## construction
constr_design_brief | akimat | e | 8d | application;title deed | 0 | e | y | Сәулет-жоспарлау тапсырмасын беру | Выдача архитектурно-планировочного задания | Issuing an architectural planning brief
constr_tech_conditions | akimat | e | 5d | application;site plan | 0 | e | y | Инженерлік желілерге қосылуға техникалық шарттар беру | Выдача технических условий на подключение к инженерным сетям | Technical conditions for connection to utility networks
constr_start_notice | akimat | e | 1d | notification;design documents;expert opinion | 0 | e | y | Құрылыс-монтаж жұмыстарының басталғаны туралы хабарламаны қабылдау | Прием уведомления о начале производства строительно-монтажных работ | Notification of starting construction works
constr_permit | akimat | e | 10d | application;design documents | 0 | e | y | Құрылысқа рұқсат беру | Выдача разрешения на строительство | Issuing a building permit
x 2021-12-31
constr_sketch | akimat | e | 15d | application;sketch design | 0 | e | n | Эскиздік жобаны (эскизді) келісу | Согласование эскиза (эскизного проекта) | Approval of a sketch design
> 2022-01-01 | dl=10d
constr_acceptance | akimat | be | 5d | act of acceptance | 0 | p | n | Объектіні пайдалануға қабылдау | Приемка объекта в эксплуатацию | Acceptance of a building into use
> 2022-01-01 | ch=e form=e auto=y
constr_redevelopment | akimat | be | 15d | application;design of the redevelopment;owners' consent | 0 | p | n | Үй-жайларды реконструкциялауға (қайта жоспарлауға, қайта жабдықтауға) шешім беру | Выдача решения на реконструкцию (перепланировку, переоборудование) помещений | Decision on redevelopment of premises
> 2021-07-01 | ch=e form=e
constr_demolition | akimat | b | 10d | application;demolition project | 0 | p | n | Ғимараттар мен құрылыстарды бұзуға (бөлшектеуге) рұқсат беру | Выдача разрешения на снос (демонтаж) зданий и сооружений | Permit to demolish buildings
constr_excavation | akimat | e | 5d | application;works plan | 0 | e | y | Жер жұмыстарын жүргізуге рұқсат (ордер) беру | Выдача разрешения (ордера) на производство земляных работ | Permit (order) for excavation works
constr_address | akimat | ce | 5d | application;title deed | 0 | e | y | Жылжымайтын мүлік объектілеріне мекенжай беру, өзгерту және жою | Присвоение, изменение или упразднение адресов объектов недвижимости | Assigning, changing or cancelling the address of real estate
> 2022-07-01 | ch=e dl=2d
constr_licence | akimat | b | 15d | application;staff qualifications | 0 | e | n | Сәулет, қала құрылысы және құрылыс қызметіне лицензия беру | Выдача лицензии на архитектурную, градостроительную и строительную деятельность | Licence for architectural, urban planning and construction activity
> 2021-01-01 | ch=e
constr_engineer_attest | miid>mic | e | 15d | application;education document;work record | 0 | e | n | Техникалық қадағалау және сараптама жұмыстарын жүргізетін сарапшыларды аттестаттау | Аттестация экспертов, осуществляющих технический надзор и экспертные работы | Certification of experts in technical supervision and building expertise
constr_expert_accredit | miid>mic | e | 15d | application;staff list | 0 | e | n | Жобаларды сараптау жөніндегі сараптама ұйымдарын аккредиттеу | Аккредитация экспертных организаций по комплексной вневедомственной экспертизе проектов | Accreditation of project expertise organisations
constr_expertise | miid>mic | eb | 45c | design documents;survey results | 0 | e | n | Құрылыс жобаларына кешенді ведомстводан тыс сараптама жүргізу | Проведение комплексной вневедомственной экспертизы проектов строительства | Comprehensive non-departmental expertise of construction projects
constr_tree_felling | akimat | e | 10d | application;inventory of the trees | 0 | e | n | Елді мекендерде ағаштарды кесуге рұқсат беру | Выдача разрешения на вырубку деревьев в населенных пунктах | Permit to fell trees in settlements
constr_facade | akimat | e | 10d | application;facade design | 0 | e | n | Ғимараттың қасбеттерін өзгертуге келісім беру | Согласование изменения фасадов зданий | Approval of changes to a building's facade | from=2021-01-01
constr_gas_conditions | akimat | b | 5d | application;site plan | 0 | e | y | Газбен жабдықтауға техникалық шарттар беру | Выдача технических условий на газоснабжение | Technical conditions for gas supply
> 2021-01-01 | ch=e
constr_fire_approval | mia>mes | b | 10d | application;design documents | 0 | p | n | Өрт қауіпсіздігі талаптарына сәйкестігі туралы қорытынды беру | Выдача заключения о соответствии требованиям пожарной безопасности | Fire safety compliance opinion
> 2022-01-01 | ch=eb form=e
constr_heating_passport | akimat | b | 10d | application;inspection act | 0 | p | n | Жылыту маусымына дайындық паспортын беру | Выдача паспорта готовности к отопительному сезону | Certificate of readiness for the heating season
## housing
housing_queue | akimat | ce | 10d | application;family composition | 0 | e | n | Тұрғын үй алу кезегіне қою | Постановка на учет нуждающихся в жилище | Placing on the housing waiting list
> 2022-01-01 | dl=7d auto=y
housing_rental | akimat | ce | 15d | application;family composition;income statement | 0 | e | n | Мемлекеттік тұрғын үй қорынан тұрғын үй беру | Предоставление жилища из государственного жилищного фонда | Allocation of public housing
housing_assistance | akimat | ce | 8d | application;income statement;utility bills | 0 | e | n | Тұрғын үй көмегін тағайындау | Назначение жилищной помощи | Granting housing assistance
> 2022-01-01 | dl=6d auto=y
housing_privatisation | akimat | cb | 30c | application;rental agreement;family composition | 0 | p | n | Мемлекеттік тұрғын үй қорынан тұрғын үйді жекешелендіру | Приватизация жилищ из государственного жилищного фонда | Privatisation of public housing
housing_property_reg | moj | ce | 3d | contract;identity card | 1228 | e | y | Жылжымайтын мүлікке құқықтарды тіркеу | Государственная регистрация прав на недвижимое имущество | Registration of rights to real estate
> 2022-01-01 | dl=1d
housing_property_cert | moj | ce | 30m | identity card | 0 | e | y | Жылжымайтын мүлікке тіркелген құқықтар (ауыртпалықтар) және оның техникалық сипаттамалары туралы анықтама беру | Выдача справки о зарегистрированных правах (обременениях) на недвижимое имущество и его технических характеристиках | Certificate of registered rights to real estate and its technical characteristics
housing_no_property | moj | ce | 30m | identity card | 0 | e | y | Жылжымайтын мүліктің болуы немесе болмауы туралы анықтама беру | Выдача справки о наличии либо отсутствии недвижимого имущества | Certificate of the presence or absence of real estate
housing_tech_passport | moj | ce | 10d | application;title deed | 0 | p | n | Жылжымайтын мүлік объектісінің техникалық паспортын беру | Выдача технического паспорта объекта недвижимости | Technical passport of a property
> 2022-07-01 | dl=7d form=b
housing_condominium | akimat | c | 10d | application;list of owners | 0 | e | n | Кондоминиум объектісін тіркеу | Регистрация объекта кондоминиума | Registration of a condominium
> 2022-01-01 | ch=ce
housing_nonresidential | akimat | b | 30c | application;owners' consent;design | 0 | p | n | Тұрғын үй-жайды тұрғын емес үй-жайға ауыстыру | Перевод жилого помещения в нежилое | Converting a dwelling into non-residential premises
> 2022-01-01 | ch=eb form=e
housing_emergency | akimat | b | 30c | application;technical inspection report | 0 | p | n | Тұрғын үйді апатты деп тану | Признание жилого дома аварийным | Declaring a residential building unsafe
housing_rent_subsidy | akimat | c | 10d | application;rental contract;income statement | 0 | e | n | Жеке тұрғын үй қорынан жалданған тұрғын үй үшін жалдау ақысын субсидиялау | Субсидирование арендной платы за жилище, арендованное в частном жилищном фонде | Rent subsidy for privately rented housing | from=2021-01-01
> 2023-01-01 | ch=ce
housing_utilities_info | akimat | e | 1d | application | 0 | e | y | Кондоминиум объектісін басқару туралы ақпарат беру | Предоставление информации об управлении объектом кондоминиума | Information on the management of a condominium | from=2023-07-01

## education
edu_kindergarten_queue | akimat | e | 30m | birth certificate | 0 | e | y | Мектепке дейінгі ұйымдарға жолдама беру үшін мектеп жасына дейінгі балаларды кезекке қою | Постановка на очередь детей дошкольного возраста для направления в дошкольные организации | Placing a child on a kindergarten waiting list
edu_kindergarten_admit | akimat | eb | 1d | referral;health record;birth certificate | 0 | b | n | Мектепке дейінгі ұйымдарға құжаттарды қабылдау және балаларды қабылдау | Прием документов и зачисление детей в дошкольные организации | Admission of children to kindergartens
> 2022-09-01 | form=e auto=y
edu_school_enrol | akimat | eb | 1d | identity card of the child;health record | 0 | e | y | Бастауыш, негізгі орта, жалпы орта білім берудің жалпы білім беретін бағдарламалары бойынша оқыту үшін құжаттарды қабылдау және оқуға қабылдау | Прием документов и зачисление в организации образования для обучения по общеобразовательным программам начального, основного среднего, общего среднего образования | Enrolment in a school
edu_school_transfer | akimat | b | 3d | application;personal file | 0 | e | n | Білім беру ұйымдарында білім алушылардың ауысуы үшін құжаттарды қабылдау | Прием документов для перевода детей между организациями начального, основного среднего, общего среднего образования | Transfer of a pupil between schools
> 2021-01-01 | ch=eb
> 2022-01-01 | dl=1d auto=y
edu_home_schooling | akimat | eb | 3d | application;medical conclusion | 0 | p | n | Денсаулығына байланысты ұзақ уақыт бойы бастауыш, негізгі орта, жалпы орта білім беру ұйымдарына бара алмайтын балаларды үйде жеке тегін оқытуды ұйымдастыру үшін құжаттарды қабылдау | Прием документов для организации индивидуального бесплатного обучения на дому детей, которые по состоянию здоровья длительное время не могут посещать школу | Home schooling for children who cannot attend school for health reasons
> 2022-01-01 | ch=eb form=e
edu_free_meals | akimat | eb | 5d | application;certificate of social status | 0 | e | n | Жалпы орта білім беретін мектептерде білім алушылар мен тәрбиеленушілердің жекелеген санаттарына тегін және жеңілдікпен тамақтандыруды ұсыну | Предоставление бесплатного и льготного питания отдельным категориям обучающихся в общеобразовательных школах | Free and subsidised school meals for certain pupils
edu_school_camp | akimat | eb | 5d | application;health record | 0 | e | n | Балаларға қала сыртындағы және мектеп жанындағы лагерьлерде демалу үшін жолдама беру | Предоставление путевок детям в загородные и пришкольные лагеря | Places for children in holiday camps
edu_transport_rural | akimat | b | 5d | application | 0 | p | n | Ауылдық елді мекендерде тұратын балаларды жалпы білім беретін ұйымдарға дейін тегін тасымалдауды ұсыну | Предоставление бесплатного подвоза к общеобразовательным организациям детям, проживающим в отдаленных сельских пунктах | Free school transport for children in remote villages
> 2022-01-01 | ch=eb form=e
edu_college_admit | akimat | b | 1d | application;education document;photo;medical certificate | 0 | e | n | Техникалық және кәсіптік білім беру ұйымдарына құжаттарды қабылдау | Прием документов в организации технического и профессионального, послесреднего образования | Admission to colleges (technical and vocational education)
> 2020-07-01 | ch=eb
edu_college_duplicate | akimat | b | 15d | application | 0 | p | n | Техникалық және кәсіптік білім туралы құжаттардың телнұсқаларын беру | Выдача дубликатов документов о техническом и профессиональном, послесреднем образовании | Duplicates of college diplomas
> 2021-07-01 | ch=eb form=e auto=y dl=5d
edu_school_duplicate | akimat | eb | 15d | application | 0 | b | n | Негізгі орта, жалпы орта білім туралы құжаттардың телнұсқаларын беру | Выдача дубликатов документов об основном среднем, общем среднем образовании | Duplicates of school leaving certificates
> 2022-01-01 | form=e auto=y dl=5d
edu_diploma_duplicate | mesc>mshe | eb | 15d | application | 0 | p | n | Жоғары және жоғары оқу орнынан кейінгі білім туралы құжаттардың телнұсқаларын беру | Выдача дубликатов документов о высшем и послевузовском образовании | Duplicates of higher education diplomas
> 2022-01-01 | form=e
edu_recognition | mesc>mshe | ce | 15d | application;foreign education document;translation | 0 | p | n | Білім туралы құжаттарды тану және нострификациялау | Признание и нострификация документов об образовании | Recognition and nostrification of foreign education documents
> 2021-01-01 | form=e auto=y
edu_apostille | mesc>mshe | ce | 5d | education document;receipt | 1228 | p | n | Білім туралы құжаттарға апостиль қою | Апостилирование документов об образовании | Apostille on education documents
> 2022-01-01 | form=b
edu_grant | mesc>mshe | e | 10d | application;UNT certificate | 0 | e | y | Жоғары білімі бар кадрларды даярлауға арналған білім беру грантын тағайындау | Присуждение образовательного гранта для оплаты высшего образования | Awarding a state education grant for higher education
edu_unt | mesc>mshe | e | 1d | application;identity card;photo | 0 | e | y | Ұлттық бірыңғай тестілеуге қатысуға өтінімдерді қабылдау | Прием заявлений на участие в Едином национальном тестировании | Registration for the Unified National Testing
edu_unt_certificate | mesc>mshe | e | 30m | identity card | 0 | e | y | Ұлттық бірыңғай тестілеу нәтижелері туралы сертификат беру | Выдача сертификата о результатах Единого национального тестирования | Certificate of Unified National Testing results
edu_dormitory | mesc>mshe | b | 5d | application;certificate of social status | 0 | e | n | Жоғары оқу орындарында жатақханада орын беру | Предоставление общежития обучающимся в высших учебных заведениях | Places in university dormitories
> 2021-07-01 | ch=eb
> 2022-07-01 | auto=y
edu_college_dormitory | akimat | b | 5d | application | 0 | e | n | Техникалық және кәсіптік білім беру ұйымдарында білім алушыларға жатақханадан орын беру | Предоставление общежития обучающимся в организациях технического и профессионального образования | Places in college dormitories
> 2022-01-01 | ch=eb
edu_academic_leave | mesc>mshe | b | 3d | application;medical conclusion | 0 | p | n | Жоғары оқу орындарында білім алушыларға академиялық демалыс беру | Предоставление академических отпусков обучающимся в высших учебных заведениях | Academic leave for university students
> 2022-01-01 | ch=eb form=e
edu_student_transfer | mesc>mshe | b | 10d | application;transcript | 0 | p | n | Жоғары оқу орындарында білім алушыларды ауыстыру және қайта қабылдау | Перевод и восстановление обучающихся в высших учебных заведениях | Transfer and readmission of university students
> 2022-01-01 | ch=eb form=e
edu_transcript | mesc>mshe | eb | 3d | application | 0 | b | n | Оқу орнында білім алғаны туралы анықтама беру | Выдача справки лицам, не завершившим высшее и послевузовское образование | Certificate of studies for students who did not complete a degree
edu_bolashak | mesc>mshe | e | 30c | application;admission letter;language certificate | 0 | e | n | «Болашақ» халықаралық стипендиясын тағайындау үшін құжаттарды қабылдау | Прием документов на присуждение международной стипендии «Болашақ» | Applications for the Bolashak international scholarship
edu_academic_titles | mesc>mshe | e | 30c | application;list of publications | 0 | e | n | Қауымдастырылған профессор (доцент), профессор ғылыми атақтарын беру | Присвоение ученых званий ассоциированного профессора (доцента), профессора | Awarding the academic titles of associate professor and professor
edu_science_grant | mesc>mshe | e | 30c | application;research proposal | 0 | e | n | Ғылыми зерттеулерді гранттық қаржыландыруға өтінімдерді қабылдау | Прием заявок на грантовое финансирование научных исследований | Applications for research grants | from=2021-01-01
edu_teacher_attest | mesc>medu | eb | 30c | application;portfolio | 0 | e | n | Педагогтерді аттестаттаудан өткізу үшін құжаттарды қабылдау | Прием документов для прохождения аттестации педагогов | Certification of teachers
edu_school_attest | mesc>medu | e | 30c | application;self-assessment report | 0 | e | n | Білім беру ұйымдарын мемлекеттік аттестаттау | Государственная аттестация организаций образования | State accreditation of schools
x 2022-06-10
edu_pmpk | akimat | b | 5d | application;birth certificate;medical records | 0 | p | n | Психологиялық-медициналық-педагогикалық консультацияда тексеріп, консультациялық көмек көрсету | Обследование и оказание психолого-медико-педагогической консультативной помощи детям с ограниченными возможностями | Psychological, medical and educational assessment of children with special needs
edu_special_needs | akimat | b | 5d | application;PMPK opinion | 0 | p | n | Мүмкіндігі шектеулі балаларға оңалту және әлеуметтік бейімдеу көмегін көрсету | Реабилитация и социальная адаптация детей и подростков с проблемами в развитии | Rehabilitation support for children with developmental difficulties
edu_guardianship | akimat | ce | 10d | application;certificates of health and income;no criminal record | 0 | p | n | Кәмелетке толмағандарға қорғаншылық немесе қамқоршылық белгілеу | Установление опеки или попечительства над несовершеннолетними | Guardianship of minors
> 2022-01-01 | form=e
edu_guardian_allowance | akimat | ce | 10d | application;guardianship decision;birth certificate | 0 | e | n | Жетім баланы немесе ата-анасының қамқорлығынсыз қалған баланы асырап-бағуға жәрдемақы тағайындау | Назначение выплаты пособия опекунам или попечителям на содержание ребенка-сироты или ребенка, оставшегося без попечения родителей | Allowance to guardians for the upkeep of an orphan
edu_foster_family | akimat | cb | 10d | application;income statement;health certificate | 0 | p | n | Баланы (балаларды) патронаттық тәрбиелеуге беру және патронат тәрбиешілерге ақшалай қаражат төлеуді тағайындау | Передача ребенка на патронатное воспитание и назначение выплаты денежных средств патронатным воспитателям | Foster care and payments to foster carers
edu_adoption_register | akimat | cb | 10d | application;medical certificate;certificate of no criminal record | 0 | p | n | Бала асырап алуға тілек білдірген адамдарды есепке қою | Учет лиц, желающих усыновить детей | Registration of prospective adoptive parents
edu_adoption_payment | akimat | ce | 10d | application;court decision on adoption | 0 | e | n | Жетім баланы асырап алуына байланысты біржолғы ақшалай төлем тағайындау | Назначение единовременной денежной выплаты в связи с усыновлением ребенка-сироты | One-off payment on adopting an orphan
edu_minor_property | akimat | ce | 5d | application;identity cards;property documents | 0 | b | n | Кәмелетке толмағандарға тиесілі мүлікпен мәмілелер жасау үшін қорғаншылық органдарының анықтамасын беру | Выдача справок органов опеки и попечительства для оформления сделок с имуществом, принадлежащим несовершеннолетним | Guardianship authority's consent to deals with a minor's property
> 2021-07-01 | form=e auto=y dl=1d
edu_child_abroad | akimat | ce | 5d | application;consent of the parents | 0 | b | n | Кәмелетке толмаған баланы шетелге шығаруға қорғаншы органның келісімін беру | Выдача согласия органа опеки на выезд несовершеннолетнего за границу | Guardianship authority's consent to a minor travelling abroad
edu_parental_rights | akimat | b | 15d | application;court decision | 0 | p | n | Ата-ана құқықтарынан айырылған ата-аналарға баламен кездесуге рұқсат беру | Выдача разрешения на свидания с ребенком родителям, лишенным родительских прав | Permission for parents deprived of parental rights to visit their child
edu_extra_classes | akimat | eb | 3d | application | 0 | e | y | Балаларға қосымша білім беру бойынша құжаттарды қабылдау | Прием документов и зачисление детей в организации дополнительного образования | Enrolment in after-school clubs
edu_voucher | akimat | e | 1d | application;birth certificate | 0 | e | y | Мектепке дейінгі тәрбие мен оқытуға мемлекеттік білім беру тапсырысын (ваучер) беру | Выдача ваучера на государственный образовательный заказ в дошкольном воспитании | Preschool education voucher | from=2023-01-01
## health
health_clinic_attach | akimat | eb | 1d | identity card | 0 | e | y | Медициналық-санитариялық алғашқы көмек көрсететін медициналық ұйымға бекіту | Прикрепление к медицинской организации, оказывающей первичную медико-санитарную помощь | Attachment to a polyclinic (primary health care)
> 2022-01-01 | dl=1h
health_appointment | akimat | eb | 30m | identity card | 0 | e | y | Дәрігердің қабылдауына жазу | Запись на прием к врачу | Booking an appointment with a doctor
health_home_visit | akimat | b | 30m | identity card | 0 | e | y | Дәрігерді үйге шақыру | Вызов врача на дом | Calling a doctor to the home
> 2021-01-01 | ch=eb
health_sick_leave | akimat | b | 1d | identity card | 0 | e | y | Уақытша еңбекке жарамсыздық парағын беру | Выдача листа о временной нетрудоспособности | Issuing a sick-leave certificate
health_sick_certificate | akimat | b | 1d | identity card | 0 | p | n | Уақытша еңбекке жарамсыздық туралы анықтама беру | Выдача справки о временной нетрудоспособности | Certificate of temporary incapacity for work
> 2022-01-01 | ch=eb form=e auto=y
health_certificate_075 | akimat | b | 1d | identity card;examination results | 0 | p | n | Медициналық анықтама беру (075/у нысаны) | Выдача медицинской справки (форма 075/у) | Medical certificate (form 075/u) for work or study
> 2022-07-01 | ch=eb form=e
health_narcology | akimat | ceb | 1d | identity card | 0 | e | y | Наркологиялық ұйымнан анықтама беру | Выдача справки с наркологической организации | Certificate from a narcology clinic
> 2022-01-01 | dl=30m
health_psychiatric | akimat | ceb | 1d | identity card | 0 | e | y | Психикалық денсаулық саласында медициналық көмек көрсететін ұйымнан анықтама беру | Выдача справки с психоневрологической организации | Certificate from a psychiatric clinic
> 2022-01-01 | dl=30m
health_tb | akimat | cb | 1d | identity card | 0 | e | y | Туберкулезге қарсы ұйымнан анықтама беру | Выдача справки с противотуберкулезной организации | Certificate from a tuberculosis clinic
> 2022-01-01 | ch=ceb
health_child_passport | akimat | b | 1d | birth certificate | 0 | p | n | Баланың денсаулық паспортын беру | Выдача паспорта здоровья ребенка | Child's health record
> 2023-01-01 | ch=eb form=e auto=y
health_vaccination | akimat | b | 1d | identity card | 0 | e | y | Профилактикалық егулер туралы анықтама беру | Выдача справки о профилактических прививках | Certificate of vaccinations
> 2021-06-01 | ch=eb
health_mse_referral | akimat | b | 3d | identity card;medical records | 0 | p | n | Медициналық-әлеуметтік сараптамаға жолдама беру | Выдача направления на медико-социальную экспертизу | Referral for disability assessment (medico-social expertise)
> 2022-07-01 | form=e auto=y
health_hospital_referral | akimat | b | 1d | identity card;referral | 0 | e | y | Стационарлық емдеуге жолдама беру | Выдача направления на стационарное лечение | Referral for inpatient treatment
health_high_tech | moh | b | 10d | application;medical conclusion | 0 | p | n | Жоғары технологиялық медициналық көмекке жолдама беру | Направление на получение высокотехнологичной медицинской помощи | Referral for high-technology medical care
health_abroad | moh | b | 15d | application;medical conclusion;medical records | 0 | p | n | Қазақстан Республикасының азаматтарын шетелге емделуге жіберу | Направление граждан Республики Казахстан на лечение за рубеж | Sending citizens for treatment abroad
health_free_drugs | akimat | b | 1d | identity card;prescription | 0 | e | y | Тегін медициналық көмектің кепілдік берілген көлемі шеңберінде амбулаториялық дәрілік қамтамасыз ету | Амбулаторное лекарственное обеспечение в рамках гарантированного объема бесплатной медицинской помощи | Free outpatient medicines
health_insurance_status | moh | e | 15m | identity card | 0 | e | y | Міндетті әлеуметтік медициналық сақтандыру жүйесіндегі мәртебесі туралы мәліметтер беру | Предоставление сведений о статусе в системе обязательного социального медицинского страхования | Status in the compulsory social health insurance system
health_sanitary_conclusion | moh | e | 10d | application;laboratory results | 0 | e | n | Санитариялық-эпидемиологиялық қорытынды беру | Выдача санитарно-эпидемиологического заключения | Sanitary and epidemiological opinion
health_sanitary_permit | moh | e | 10d | application;inspection act | 0 | e | n | Эпидемиялық маңызы бар объектілерге рұқсат беру | Выдача разрешения на объекты высокой эпидемической значимости | Permit for facilities of high epidemic significance
health_food_registration | moh | e | 15d | application;product composition;test reports | 0 | e | n | Тамақ өнімдерін мемлекеттік тіркеу | Государственная регистрация пищевой продукции | State registration of food products
health_drug_registration | moh | e | 210c | registration dossier;receipt | 0 | e | n | Дәрілік заттарды мемлекеттік тіркеу | Государственная регистрация лекарственных средств и медицинских изделий | State registration of medicines and medical devices
health_narcotics_permit | moh | e | 10d | application;contract | 0 | e | n | Есірткі құралдарын әкелуге (әкетуге) рұқсат беру | Выдача разрешения на ввоз (вывоз) наркотических средств, психотропных веществ и прекурсоров | Permit to import or export narcotic drugs and precursors
health_specialist_cert | moh | e | 15d | application;diploma;training certificate | 0 | e | n | Денсаулық сақтау саласындағы маман сертификатын беру | Выдача сертификата специалиста в области здравоохранения | Certificate of a health professional
x 2022-06-30
health_qualification | moh | e | 5d | application;exam results | 0 | e | y | Денсаулық сақтау саласындағы маманның біліктілігін растау туралы сертификат беру | Выдача сертификата специалиста в области здравоохранения по результатам оценки профессиональной подготовленности | Certificate of a health professional (after assessment of qualifications) | from=2022-07-01
health_blood_donor | akimat | b | 1d | identity card | 0 | p | n | Донорға анықтама беру | Выдача справки донору | Certificate for blood donors
health_abortion_referral | akimat | b | 1d | identity card;medical records | 0 | p | n | Жүктілікті жасанды үзуге жолдама беру | Выдача направления на искусственное прерывание беременности | Referral for the termination of pregnancy
health_ivf | moh | b | 15d | application;medical records | 0 | p | n | Экстракорпоральды ұрықтандыру бағдарламасы бойынша жолдама беру | Направление на экстракорпоральное оплодотворение за счет бюджетных средств | Referral for state-funded IVF
> 2022-01-01 | ch=eb form=e
health_covid_passport | moh | e | 15m | identity card | 0 | e | y | Вакцинация туралы цифрлық паспорт беру (COVID-19) | Выдача цифрового паспорта вакцинации (COVID-19) | Digital vaccination passport (COVID-19) | from=2021-06-01
x 2023-06-30
health_medical_exam | akimat | b | 1d | identity card | 0 | p | n | Жүргізушілерді медициналық куәландырудан өткізу | Медицинское освидетельствование водителей транспортных средств | Medical examination of drivers

## social_protection
soc_pension | mlsp | ce | 10d | identity card;work record | 0 | e | y | Зейнетақы төлемдерін тағайындау | Назначение пенсионных выплат | Granting a pension
soc_basic_pension | mlsp | ce | 10d | identity card;work record | 0 | e | y | Мемлекеттік базалық зейнетақы төлемін тағайындау | Назначение государственной базовой пенсионной выплаты | Granting the state basic pension
soc_pension_proactive | mlsp | e | 5d | consent by SMS | 0 | e | y | Зейнетақы төлемдерін проактивті форматта тағайындау | Назначение пенсионных выплат в проактивном формате | Granting a pension proactively | from=2023-01-01
soc_disability_benefit | mlsp | ce | 8d | identity card;medical examination | 0 | e | y | Мүгедектігі бойынша жәрдемақы тағайындау | Назначение государственного социального пособия по инвалидности | Granting a disability benefit
soc_survivor_benefit | mlsp | ce | 8d | identity card;death certificate;birth certificates | 0 | e | y | Асыраушысынан айырылу жағдайы бойынша мемлекеттік әлеуметтік жәрдемақы тағайындау | Назначение государственного социального пособия по случаю потери кормильца | Granting a survivor's benefit
soc_childbirth | mlsp | ce | 8d | birth certificate | 0 | e | y | Бала тууына байланысты біржолғы мемлекеттік жәрдемақы тағайындау | Назначение единовременного государственного пособия в связи с рождением ребенка | Granting the one-off childbirth benefit
> 2022-01-01 | dl=1d
soc_childcare | mlsp | ce | 8d | birth certificate;identity card | 0 | e | y | Бала бір жасқа толғанға дейін оны күту бойынша жәрдемақы тағайындау | Назначение пособия по уходу за ребенком по достижении им возраста одного года | Granting the childcare allowance until the child is one
> 2022-01-01 | dl=1d
soc_large_family | mlsp | ce | 8d | identity card;birth certificates of the children | 0 | e | y | Көпбалалы отбасыларға берілетін жәрдемақы тағайындау | Назначение пособия многодетной семье | Granting the allowance to large families
soc_mother_heroine | mlsp | ce | 8d | identity card;award certificate | 0 | e | y | «Алтын алқа», «Күміс алқа» алқаларымен наградталған көпбалалы аналарға жәрдемақы тағайындау | Назначение пособия многодетным матерям, награжденным подвесками «Алтын алқа», «Күміс алқа» | Allowance to mothers of large families awarded the Altyn alqa or Kumis alqa
soc_disabled_child_carer | mlsp | ce | 8d | identity card;birth certificate;disability certificate | 0 | e | y | Мүгедектігі бар баланы тәрбиелеп отырған адамға жәрдемақы тағайындау | Назначение пособия лицу, воспитывающему ребенка с инвалидностью | Allowance to a person raising a child with a disability
soc_carer_group1 | mlsp | ce | 8d | identity card;disability certificate | 0 | e | y | Бірінші топтағы мүгедектігі бар адамды күтуді жүзеге асыратын адамға жәрдемақы тағайындау | Назначение пособия лицу, осуществляющему уход за лицом с инвалидностью первой группы | Allowance to a person caring for someone with a first-group disability | from=2020-07-01
soc_special_allowance | mlsp | ce | 8d | identity card;supporting documents | 0 | e | y | Арнаулы мемлекеттік жәрдемақы тағайындау | Назначение специального государственного пособия | Granting the special state allowance
soc_funeral | mlsp | ce | 1d | death certificate;identity card | 0 | e | y | Жерлеуге арналған біржолғы төлемді тағайындау | Назначение единовременной выплаты на погребение | One-off funeral grant
soc_gfss_job_loss | mlsp | ce | 8d | identity card;order of dismissal | 0 | e | y | Мемлекеттік әлеуметтік сақтандыру қорынан жұмысынан айырылу жағдайына әлеуметтік төлем тағайындау | Назначение социальной выплаты на случай потери работы из Государственного фонда социального страхования | Social insurance payment for loss of work
soc_gfss_maternity | mlsp | ce | 8d | identity card;sick-leave certificate | 0 | e | y | Жүктілікке және босануға байланысты табыстан айырылу жағдайына әлеуметтік төлем тағайындау | Назначение социальной выплаты на случай потери дохода в связи с беременностью и родами | Social insurance payment for loss of income due to pregnancy and childbirth
soc_gfss_childcare | mlsp | ce | 8d | identity card;birth certificate | 0 | e | y | Бала бір жарым жасқа толғанға дейін оның күтіміне байланысты табыстан айырылу жағдайына әлеуметтік төлем тағайындау | Назначение социальной выплаты на случай потери дохода в связи с уходом за ребенком по достижении им возраста полутора лет | Social insurance payment for childcare until the child is one and a half
soc_gfss_disability | mlsp | ce | 8d | identity card;disability certificate | 0 | e | y | Еңбек ету қабілетінен айырылу жағдайына әлеуметтік төлем тағайындау | Назначение социальной выплаты на случай утраты трудоспособности | Social insurance payment for loss of capacity to work
soc_gfss_survivor | mlsp | ce | 8d | identity card;death certificate | 0 | e | y | Асыраушысынан айырылу жағдайына әлеуметтік төлем тағайындау | Назначение социальной выплаты на случай потери кормильца | Social insurance payment for loss of a breadwinner
soc_targeted_aid | akimat | ceb | 8d | application;income statement | 0 | e | n | Атаулы әлеуметтік көмек тағайындау | Назначение адресной социальной помощи | Granting targeted social assistance
> 2022-01-01 | dl=7d auto=y
soc_one_off_aid | akimat | cb | 10d | application;supporting documents | 0 | p | n | Жергілікті өкілді органдардың шешімдері бойынша мұқтаж азаматтардың жекелеген санаттарына әлеуметтік көмек тағайындау | Назначение социальной помощи отдельным категориям нуждающихся граждан по решениям местных представительных органов | Social assistance to certain needy citizens decided by local councils
> 2022-01-01 | ch=ceb form=e
soc_disability_assessment | mlsp | b | 10d | referral;identity card;medical records | 0 | p | n | Мүгедектікті және (немесе) еңбек ету қабілетінен айырылу дәрежесін белгілеу | Установление инвалидности и (или) степени утраты трудоспособности | Assessment of disability and loss of capacity to work
> 2022-07-01 | ch=eb form=e auto=y
soc_rehab_programme | mlsp | b | 10d | application;medical conclusion | 0 | p | n | Мүгедектігі бар адамды оңалтудың жеке бағдарламасын әзірлеу | Разработка индивидуальной программы реабилитации лица с инвалидностью | Individual rehabilitation programme for a person with a disability
soc_prosthetics | mlsp | ce | 10d | application;rehabilitation programme | 0 | e | n | Мүгедектігі бар адамдарды протездік-ортопедиялық көмекпен қамтамасыз ету | Обеспечение лиц с инвалидностью протезно-ортопедической помощью | Prosthetic and orthopaedic aids for persons with disabilities
> 2022-01-01 | dl=5d auto=y
soc_wheelchair | mlsp | ce | 10d | application;rehabilitation programme | 0 | e | n | Мүгедектігі бар адамдарды кресло-арбалармен қамтамасыз ету | Обеспечение лиц с инвалидностью креслами-колясками | Wheelchairs for persons with disabilities
> 2022-01-01 | dl=5d auto=y
soc_sanatorium | mlsp | ce | 10d | application;medical conclusion | 0 | e | n | Мүгедектігі бар адамдарды санаторий-курорттық емдеумен қамтамасыз ету | Обеспечение санаторно-курортным лечением лиц с инвалидностью и детей с инвалидностью | Sanatorium treatment for persons with disabilities
soc_sign_language | akimat | ce | 5d | application | 0 | e | n | Мүгедектігі бар адамдарға жеке көмекшінің және ымдау тілі маманының қызметтерін ұсыну | Предоставление услуг индивидуального помощника и специалиста жестового языка для лиц с инвалидностью | Personal assistant and sign-language interpreter for persons with disabilities
soc_hygiene_aids | mlsp | ce | 10d | application;rehabilitation programme | 0 | e | n | Мүгедектігі бар адамдарды міндетті гигиеналық құралдармен қамтамасыз ету | Обеспечение лиц с инвалидностью обязательными гигиеническими средствами | Hygiene products for persons with disabilities
soc_social_portal | mlsp | e | 1d | application | 0 | e | y | Әлеуметтік қызметтер порталында техникалық көмекші құралдарды таңдау | Выбор технических вспомогательных средств на портале социальных услуг | Choosing assistive devices on the social services portal | from=2021-01-01
soc_home_care | akimat | cb | 10d | application;medical conclusion | 0 | p | n | Үйде арнаулы әлеуметтік қызметтер көрсету | Оказание специальных социальных услуг в условиях ухода на дому | Special social services at home
soc_care_home | akimat | cb | 10d | application;medical conclusion;income statement | 0 | p | n | Стационар жағдайында арнаулы әлеуметтік қызметтер көрсету үшін құжаттарды ресімдеу | Оформление документов для оказания специальных социальных услуг в стационарных условиях | Residential care (special social services in residential institutions)
soc_unemployed_reg | mlsp | eb | 1d | identity card | 0 | e | y | Жұмыссыз ретінде тіркеу | Регистрация в качестве безработного | Registration as unemployed
soc_job_seeker | akimat | eb | 1d | identity card | 0 | e | y | Жұмыс іздейтін адам ретінде тіркеу | Регистрация лиц, ищущих работу | Registration as a job seeker
soc_unemployed_cert | akimat | ceb | 1d | identity card | 0 | e | y | Жұмыссыз ретінде тіркелгені туралы анықтама беру | Выдача справки о регистрации в качестве безработного | Certificate of registration as unemployed
x 2022-12-31
soc_youth_practice | akimat | b | 5d | application;diploma | 0 | e | n | Жастар практикасына жолдама беру | Направление на молодежную практику | Referral for a youth internship
> 2022-01-01 | ch=eb
soc_public_works | akimat | b | 5d | application | 0 | e | n | Қоғамдық жұмыстарға жолдама беру | Направление на общественные работы | Referral for public works
> 2022-01-01 | ch=eb
soc_training | akimat | b | 5d | application | 0 | e | n | Жұмыссыздарды кәсіптік даярлауға, қайта даярлауға және біліктілігін арттыруға жолдама беру | Направление на профессиональную подготовку, переподготовку и повышение квалификации безработных | Referral of the unemployed to vocational training
> 2021-07-01 | ch=eb
soc_microcredit | akimat | b | 10d | application;business plan | 0 | e | n | Кәсіпкерлік бастамаларды жүзеге асыру үшін шағын кредит беру | Предоставление микрокредитов на реализацию предпринимательских инициатив | Microcredit for business start-ups
> 2021-01-01 | ch=eb
soc_state_grant_business | akimat | e | 15d | application;business plan | 0 | e | n | Жаңа бизнес-идеяларды іске асыруға мемлекеттік грант беру | Предоставление государственных грантов на реализацию новых бизнес-идей | State grants for new business ideas | from=2021-01-01
soc_relocation | akimat | c | 10d | application;employment contract | 0 | e | n | Үкімет айқындаған өңірлерге ерікті түрде қоныс аударатын адамдарға мемлекеттік қолдау шараларын көрсету | Оказание мер государственной поддержки лицам, добровольно переселяющимся в регионы, определенные Правительством | State support for voluntary resettlement to designated regions
> 2022-01-01 | ch=ce
soc_labour_record | mlsp | e | 15m | identity card | 0 | e | y | Еңбек шарттарының бірыңғай жүйесінен еңбек қызметі туралы мәліметтер беру | Предоставление сведений о трудовой деятельности из единой системы учета трудовых договоров | Statement of employment from the single register of employment contracts | from=2021-01-01
soc_pension_contributions | mlsp | ce | 15m | identity card | 0 | e | y | Міндетті зейнетақы жарналары туралы анықтама беру | Выдача справки о поступлении и движении средств вкладчика по обязательным пенсионным взносам | Statement of compulsory pension contributions
soc_pension_duplicate | mlsp | ce | 5d | application;identity card | 0 | p | n | Зейнеткерлік куәліктің телнұсқасын беру | Выдача дубликата пенсионного удостоверения | Duplicate of a pensioner's card
x 2021-06-30
soc_veteran_card | akimat | cb | 10d | application;supporting documents | 0 | p | n | Ардагердің куәлігін беру | Выдача удостоверения ветерана | Issuing a veteran's certificate
> 2023-01-01 | ch=ceb form=e
soc_social_wallet | mlsp | e | 1d | application | 0 | e | y | Әлеуметтік әмиянды ашу | Открытие социального кошелька | Opening a social wallet for benefits | from=2023-07-01
## environment
env_hunting_permit | meco | e | 1d | hunting licence | 1000 | e | y | Аңшылыққа рұқсат беру | Выдача разрешения на пользование животным миром (охота) | Permit to hunt
env_hunter_licence | meco | ce | 5d | application;exam results;photo | 0 | p | n | Аңшы куәлігін беру | Выдача удостоверения охотника | Issuing a hunter's licence
> 2022-01-01 | form=e auto=y dl=1d
env_fishing_permit | meco | e | 1d | application | 0 | e | y | Балық аулауға (кәсіпшілік) рұқсат беру | Выдача разрешения на пользование животным миром (рыболовство) | Permit for commercial fishing
env_emissions_permit | meco | e | 15d | application;impact assessment | 0 | e | n | Қоршаған ортаға эмиссияларға рұқсат беру | Выдача разрешения на эмиссии в окружающую среду | Environmental emissions permit
x 2021-06-30
env_impact_permit | meco | e | 15d | application;environmental impact assessment;programme of production control | 0 | e | n | I және II санаттағы объектілер үшін қоршаған ортаға әсер етуге рұқсат беру | Выдача разрешения на воздействие для объектов I и II категорий | Environmental impact permit for category I and II facilities | from=2021-07-01
env_integrated_permit | meco | e | 30c | application;environmental impact assessment;best available techniques | 0 | e | n | Кешенді экологиялық рұқсат беру | Выдача комплексного экологического разрешения | Integrated environmental permit | from=2021-07-01
env_eia_conclusion | meco | e | 30c | report on environmental impact;hearings record | 0 | e | n | Қоршаған ортаға әсерді бағалау туралы қорытынды беру | Выдача заключения по результатам оценки воздействия на окружающую среду | Environmental impact assessment opinion | from=2021-07-01
env_eco_expertise | meco | e | 30c | project documents | 0 | e | n | Мемлекеттік экологиялық сараптаманың қорытындысын беру | Выдача заключения государственной экологической экспертизы | State environmental expertise opinion
x 2021-06-30
env_permit_cat3 | akimat | e | 15d | project documents | 0 | e | n | III санаттағы объектілер үшін қоршаған ортаға әсер етуге рұқсат беру | Выдача разрешения на воздействие для объектов III категории | Environmental permit for category III facilities
env_waste_licence | meco | e | 15d | application;technical documents | 0 | e | n | Қауіпті қалдықтарды қайта өңдеу, залалсыздандыру, кәдеге жарату және жою жөніндегі қызметке лицензия беру | Выдача лицензии на выполнение работ и оказание услуг в области охраны окружающей среды (переработка опасных отходов) | Licence for hazardous waste treatment
env_waste_notify | meco | e | 1d | notification | 0 | e | y | Қауіпті емес қалдықтарды жинау, сұрыптау жөніндегі қызметтің басталғаны туралы хабарлама қабылдау | Прием уведомления о начале деятельности по сбору, сортировке неопасных отходов | Notification of non-hazardous waste collection | from=2021-07-01
env_forest_ticket | meco | b | 5d | application;plan of the felling area | 0 | p | n | Орман билетін беру | Выдача лесорубочного и лесного билета | Issuing a forest felling ticket
> 2022-01-01 | ch=eb form=e
env_forest_use | meco | b | 10d | application;business plan | 0 | p | n | Мемлекеттік орман қоры учаскелерін ұзақ мерзімді орман пайдалануға беру | Предоставление участков государственного лесного фонда в долгосрочное лесопользование | Long-term use of state forest land
env_wild_animals | meco | e | 5d | application;keeping conditions | 0 | e | n | Жабайы жануарларды ұстауға рұқсат беру | Выдача разрешения на содержание диких животных в неволе | Permit to keep wild animals in captivity
env_cites | meco | e | 10d | application;contract;documents of origin | 0 | e | n | Жойылып кету қаупі төнген жабайы фауна мен флора түрлерін әкелуге, әкетуге рұқсат беру (CITES) | Выдача разрешения на ввоз, вывоз видов дикой фауны и флоры, находящихся под угрозой исчезновения (CITES) | CITES permit for endangered species of wild fauna and flora
env_plants_collection | meco | e | 5d | application | 0 | e | n | Жабайы өсетін өсімдіктерді жинауға рұқсат беру | Выдача разрешения на пользование растительным миром | Permit to collect wild plants
env_water_use | meco>mwri | e | 15d | application;water use plan | 0 | e | n | Арнайы су пайдалануға рұқсат беру | Выдача разрешения на специальное водопользование | Permit for special water use
env_water_approval | meco>mwri | e | 10d | application;project documents | 0 | e | n | Су объектілері мен су қорғау аймақтарында құрылыс салуды келісу | Согласование размещения объектов и проведения работ на водных объектах и в водоохранных зонах | Approval of works in water bodies and protected water zones
env_geology_info | meco | e | 10d | application | 0 | e | n | Геологиялық ақпаратты пайдалануға беру | Предоставление геологической информации в пользование | Access to geological information
> 2023-01-01 | prov=miid>mic
env_groundwater | meco | e | 15d | application;work programme | 0 | e | n | Жерасты суларын барлауға лицензия беру | Выдача лицензии на разведку подземных вод | Licence to explore groundwater

## agriculture
agri_vet_certificate | akimat | be | 1d | animal passport | 0 | p | n | Ветеринариялық анықтама беру | Выдача ветеринарной справки | Issuing a veterinary certificate
> 2022-01-01 | ch=eb form=e auto=y
agri_vet_cert_export | moa | e | 1d | application;laboratory results | 0 | e | y | Орны ауыстырылатын (тасымалданатын) объектілерге ветеринариялық сертификат беру | Выдача ветеринарного сертификата на перемещаемые (перевозимые) объекты | Veterinary certificate for moved goods and animals
agri_vet_sanitary | moa | e | 5d | application;inspection act | 0 | e | n | Ветеринариялық-санитариялық қорытынды беру | Выдача ветеринарно-санитарного заключения на объекты государственного ветеринарно-санитарного контроля | Veterinary and sanitary opinion on facilities
agri_vet_registration | akimat | b | 3d | application | 0 | e | n | Өндіріс объектілеріне есептік нөмір беру | Присвоение учетных номеров объектам производства, осуществляющим выращивание животных | Registration numbers for livestock farms
> 2022-07-01 | ch=eb
agri_animal_id | akimat | b | 3d | application;list of animals | 0 | p | n | Ауыл шаруашылығы жануарларын бірдейлендіруді жүргізу | Проведение идентификации сельскохозяйственных животных | Identification of farm animals
> 2022-07-01 | ch=eb form=e
agri_vet_passport | akimat | b | 3d | application | 0 | p | n | Жануардың ветеринариялық паспортын беру | Выдача ветеринарного паспорта на животное | Veterinary passport for an animal
> 2022-07-01 | ch=eb form=e auto=y dl=1d
agri_vet_licence | moa | e | 15d | application;diploma;premises documents | 0 | e | n | Ветеринария саласындағы қызметке лицензия беру | Выдача лицензии на деятельность в области ветеринарии | Licence for veterinary activity
agri_vet_drugs | moa | e | 30c | registration dossier | 0 | e | n | Ветеринариялық препараттарды мемлекеттік тіркеу | Государственная регистрация ветеринарных препаратов | Registration of veterinary medicines
agri_import_vet | moa | e | 5d | application;contract | 0 | e | y | Ветеринариялық бақылауға жататын жүктерді әкелуге рұқсат беру | Выдача разрешения на ввоз объектов, подконтрольных государственному ветеринарно-санитарному контролю | Import permit for goods under veterinary control
agri_phyto_cert | moa | e | 3d | application;laboratory results | 0 | e | y | Фитосанитариялық сертификат беру | Выдача фитосанитарного сертификата | Phytosanitary certificate
> 2022-01-01 | dl=1d
agri_quarantine_permit | moa | e | 3d | application;contract | 0 | e | y | Карантиндік рұқсат беру | Выдача карантинного разрешения | Quarantine permit for regulated products
agri_pesticides_reg | moa | e | 30c | registration dossier;test results | 0 | e | n | Пестицидтерді мемлекеттік тіркеу | Государственная регистрация пестицидов | Registration of pesticides
agri_pesticides_licence | moa | e | 15d | application;storage documents | 0 | e | n | Пестицидтерді өндіру, сату және қолдану жөніндегі қызметке лицензия беру | Выдача лицензии на производство, реализацию и применение пестицидов | Licence to produce, sell and apply pesticides
agri_seed_cert | akimat | b | 5d | application;laboratory results | 0 | e | n | Тұқымға сәйкестік сертификатын беру | Выдача сертификата на семена | Seed certificate
> 2022-01-01 | ch=eb
agri_seed_breeding | moa | e | 10d | application;breeding records | 0 | e | n | Асыл тұқымды мал шаруашылығы субъектілерін аттестаттау | Аттестация субъектов в области племенного животноводства | Certification of livestock breeders
agri_subsidy | moa | e | 10d | application;contracts | 0 | e | y | Агроөнеркәсіптік кешенді субсидиялау | Субсидирование агропромышленного комплекса | Agricultural subsidy
agri_subsidy_livestock | akimat | e | 10d | application;animal identification data | 0 | e | y | Мал шаруашылығы өнімдерінің өнімділігі мен сапасын арттыруды субсидиялау | Субсидирование повышения продуктивности и качества продукции животноводства | Subsidies for livestock productivity and quality
agri_subsidy_crops | akimat | e | 10d | application;sown area data | 0 | e | y | Өсімдік шаруашылығы өнімінің шығымдылығы мен сапасын арттыруды субсидиялау | Субсидирование повышения урожайности и качества продукции растениеводства | Subsidies for crop yield and quality
agri_subsidy_fertiliser | akimat | e | 10d | application;invoice | 0 | e | y | Тыңайтқыштардың құнын субсидиялау | Субсидирование стоимости удобрений | Subsidy for the cost of fertilisers
agri_subsidy_investment | moa | e | 15d | application;investment project;payment documents | 0 | e | n | Агроөнеркәсіптік кешен субъектісі инвестициялық салынымдар кезінде шеккен шығыстардың бөліктерін өтеу бойынша субсидиялау | Субсидирование по возмещению части расходов при инвестиционных вложениях в агропромышленный комплекс | Investment subsidy for agribusiness
agri_subsidy_loans | moa | e | 10d | application;loan agreement | 0 | e | y | Агроөнеркәсіптік кешен субъектілерінің кредиттері бойынша сыйақы мөлшерлемелерін субсидиялау | Субсидирование ставок вознаграждения по кредитам субъектов агропромышленного комплекса | Subsidised interest on agricultural loans
agri_subsidy_water | meco>mwri | e | 10d | application;water supply contract | 0 | e | n | Ауыл шаруашылығы тауар өндірушілеріне су беру жөніндегі қызметтердің құнын субсидиялау | Субсидирование стоимости услуг по подаче воды сельскохозяйственным товаропроизводителям | Subsidy for irrigation water supply
agri_farm_reg | akimat | ce | 1d | application;land documents | 0 | e | y | Шаруа немесе фермер қожалығын тіркеу | Регистрация крестьянского или фермерского хозяйства | Registration of a peasant or farm enterprise
agri_fishery_plot | meco | e | 30c | application;fishery development plan | 0 | e | n | Балық шаруашылығы су айдындарын бекітіп беру | Закрепление рыбохозяйственных водоемов и участков | Assigning fishery water bodies
agri_aquaculture | meco | e | 10d | application;fishery plan | 0 | e | n | Аквамәдениетті (балық өсіруді) жүргізуге рұқсат беру | Выдача разрешения на ведение аквакультуры (рыбоводства) | Permit for aquaculture | from=2021-01-01
agri_beekeeping | akimat | b | 5d | application | 0 | e | y | Омарталарды есепке алу және ветеринариялық-санитариялық паспорт беру | Учет пасек и выдача ветеринарно-санитарного паспорта пасеки | Registration of apiaries
> 2023-01-01 | ch=eb
agri_cotton_licence | moa | e | 15d | application;warehouse documents | 0 | e | n | Мақта қолхаттарын шығара отырып, қойма қызметі бойынша қызметтер көрсетуге лицензия беру | Выдача лицензии на оказание услуг по складской деятельности с выпуском хлопковых расписок | Licence for cotton warehouses issuing cotton receipts
x 2022-12-31
## culture
culture_archive_certificate | akimat | ceb | 5d | application | 0 | p | n | Мұрағаттық анықтама беру | Выдача архивных справок | Issuing an archival certificate
> 2022-01-01 | form=e auto=y
culture_archive_copy | akimat | ceb | 10d | application | 0 | p | n | Мұрағаттық құжаттардың көшірмелерін және мұрағаттық үзінділерді беру | Выдача архивных копий и архивных выписок | Archival copies and extracts
> 2022-01-01 | form=b
culture_national_archive | mcs>mci | eb | 15d | application | 0 | p | n | Орталық мемлекеттік мұрағаттардан мұрағаттық анықтамалар беру | Выдача архивных справок центральными государственными архивами | Archival certificates from the central state archives
> 2022-07-01 | form=e
culture_export_values | mcs>mci | b | 15d | application;expert opinion;photo | 0 | p | n | Мәдени құндылықтарды уақытша әкету құқығына куәлік беру | Выдача свидетельства на право временного вывоза культурных ценностей | Certificate for the temporary export of cultural property
> 2022-01-01 | ch=eb form=e
culture_monument_works | mcs>mci | b | 15d | application;design documents | 0 | p | n | Тарих және мәдениет ескерткіштерінде жұмыстар жүргізуге келісім беру | Согласование проведения работ на памятниках истории и культуры | Approval of works on historical and cultural monuments
culture_film_licence | mcs>mci | e | 10d | application;film copy | 0 | e | n | Фильмге прокаттық куәлік беру | Выдача прокатного удостоверения на фильм | Distribution certificate for a film
culture_artist_title | mcs>mci | b | 30c | application;portfolio | 0 | p | n | Шығармашылық жұмыскерлерге біліктілік санаттарын беру | Присвоение квалификационных категорий творческим работникам | Qualification categories for arts professionals
culture_library | akimat | b | 1d | identity card | 0 | e | y | Кітапхана қорынан құжаттарды беру және кітапханаға жазылу | Запись в библиотеку и выдача документов из фонда библиотеки | Library membership and loans
> 2022-01-01 | ch=eb
culture_events | akimat | b | 10d | application;programme of the event | 0 | p | n | Мәдени-бұқаралық іс-шараларды өткізуге келісім беру | Согласование проведения культурно-массовых мероприятий | Approval of public cultural events
> 2023-01-01 | ch=eb form=e
culture_media_reg | misd>mci | e | 15d | application;charter of the outlet;receipt | 2651 | e | n | Мерзімді баспасөз басылымдарын және ақпараттық агенттіктерді есепке қою | Постановка на учет периодических печатных изданий и информационных агентств | Registration of print media and news agencies
culture_online_media | misd>mci | e | 15d | application;receipt | 2651 | e | n | Желілік басылымды есепке қою | Постановка на учет сетевого издания | Registration of an online publication | from=2021-01-01
culture_tv_licence | misd>mci | e | 15d | application;broadcasting concept | 0 | e | n | Телерадио хабарларын тарату қызметіне лицензия беру | Выдача лицензии на деятельность по распространению телерадиоканалов | Licence for broadcasting TV and radio channels
culture_religion_expert | misd>mci | e | 30c | application;copies of the material | 0 | e | n | Діни әдебиетке және діни мазмұндағы өзге де ақпараттық материалдарға дінтанулық сараптама жүргізу | Проведение религиоведческой экспертизы религиозной литературы и иных информационных материалов религиозного содержания | Religious-studies expertise of religious literature and materials
culture_religion_premises | akimat | b | 15d | application;premises documents | 0 | p | n | Ғибадат үйлерінен тыс жерлерде діни іс-шаралар өткізуге арналған үй-жайларды келісу | Согласование расположения помещений для проведения религиозных мероприятий за пределами культовых зданий | Approval of premises for religious events outside places of worship
> 2022-01-01 | ch=eb form=e
culture_religion_literature | akimat | b | 10d | application;list of materials | 0 | p | n | Діни әдебиетті тарататын үй-жайлардың орналасуын келісу | Согласование расположения специальных стационарных помещений для распространения религиозной литературы | Approval of premises for distributing religious literature
culture_missionary | akimat | b | 30c | application;registration documents;literature | 0 | p | n | Миссионерлерді тіркеу және қайта тіркеу | Проведение регистрации и перерегистрации лиц, осуществляющих миссионерскую деятельность | Registration of missionaries
culture_religious_assoc | moj | b | 30c | application;charter;list of founders | 0 | p | n | Діни бірлестіктерді мемлекеттік тіркеу | Государственная регистрация религиозных объединений | State registration of religious associations
culture_ngo_grant | misd>mci | e | 30c | application;project proposal | 0 | e | n | Үкіметтік емес ұйымдарға мемлекеттік гранттар беру | Предоставление государственных грантов неправительственным организациям | State grants to non-governmental organisations
culture_sport_master | mcs>mts | b | 30c | application;competition results | 0 | p | n | «Қазақстан Республикасының спорт шебері», «Халықаралық дәрежедегі спорт шебері» спорттық атақтарын беру | Присвоение спортивных званий «Мастер спорта Республики Казахстан», «Мастер спорта международного класса» | Awarding the titles Master of Sport and Master of Sport of International Class
> 2022-01-01 | ch=eb form=e
culture_sport_rank | akimat | eb | 15d | application;competition results | 0 | p | n | Спорттық разрядтар мен санаттарды беру | Присвоение спортивных разрядов и категорий | Awarding sports ranks and categories
> 2022-01-01 | form=e
culture_coach_category | akimat | eb | 15d | application;portfolio | 0 | p | n | Жаттықтырушыларға біліктілік санаттарын беру | Присвоение квалификационных категорий тренерам | Qualification categories for coaches
culture_sport_federation | mcs>mts | b | 30c | application;charter;development plan | 0 | p | n | Республикалық спорт федерацияларын аккредиттеу | Аккредитация республиканских спортивных федераций | Accreditation of national sports federations
culture_athlete_payment | mcs>mts | b | 15d | application;competition results | 0 | p | n | Спортшыларға өмір бойы ай сайынғы материалдық қамтамасыз етуді тағайындау | Назначение пожизненного ежемесячного материального обеспечения спортсменам | Monthly life support for distinguished athletes
culture_sport_section | akimat | b | 3d | application;medical certificate | 0 | e | y | Балалар-жасөспірімдер спорт мектептеріне қабылдау | Прием документов и зачисление в детско-юношеские спортивные школы | Enrolment in children's sports schools
> 2023-01-01 | ch=eb
culture_tour_guide | akimat | b | 10d | application;training certificate | 0 | e | n | Экскурсоводтардың тізіліміне енгізу | Включение в реестр гидов (гидов-переводчиков), экскурсоводов и инструкторов туризма | Entering the register of tourist guides
> 2021-01-01 | ch=e
culture_tour_agent | akimat | e | 1d | notification | 0 | e | y | Турагенттік қызметтің басталғаны туралы хабарлама қабылдау | Прием уведомления о начале деятельности турагента | Notification of starting a travel agency
culture_geographic_names | akimat | b | 30c | application;justification | 0 | p | n | Елді мекендердің құрамдас бөліктеріне атау беру | Присвоение наименований составным частям населенных пунктов | Naming streets and other parts of settlements
"""


def day_before(date):
    return (dt.date.fromisoformat(date) - dt.timedelta(days=1)).isoformat()


def channels(code):
    return ";".join(CHANNELS[c] for c in code)


def deadline(code):
    return code[:-1], UNITS[code[-1]]


def parse(table):
    """The services: each a list of versions, each a dict of columns
    (providers still written with `old>new`)."""
    services, sector, seen = [], None, set()
    for n, raw in enumerate(table.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        where = f"table line {n}"
        if line.startswith("## "):
            sector = line[3:].strip()
            assert sector in SECTORS, f"{where}: unknown sector {sector}"
            continue
        if line.startswith(">"):
            date, _, changes = line[1:].strip().partition(" ")
            last = services[-1][-1]
            assert date > last["effective_from"], f"{where}: version out of order"
            new = dict(last, effective_from=date, effective_to="")
            last["effective_to"] = day_before(date)
            for change in changes.replace("|", " ").split():
                key, _, value = change.partition("=")
                if key == "ch":
                    new["channels"] = channels(value)
                elif key == "dl":
                    new["deadline"], new["deadline_unit"] = deadline(value)
                elif key == "docs":
                    new["documents"] = value
                elif key == "cost":
                    new["cost_tenge"] = value
                elif key == "form":
                    new["result_form"] = FORMS[value]
                elif key == "auto":
                    new["automated"] = AUTO[value]
                elif key == "prov":
                    new["providers"] = value
                else:
                    raise AssertionError(f"{where}: unknown change {key}")
            services[-1].append(new)
            continue
        if line.startswith("x "):
            services[-1][-1]["effective_to"] = line[2:].strip()
            continue
        cells = [c.strip() for c in line.split(" | ")]
        assert len(cells) in (11, 12), f"{where}: {len(cells)} fields"
        (sid, prov, ch, dl, docs, cost, form, auto, kk, ru, en) = cells[:11]
        start = FIRST_DAY
        if len(cells) == 12:
            assert cells[11].startswith("from="), where
            start = cells[11][5:]
        assert sector, f"{where}: no sector"
        assert sid not in seen, f"{where}: {sid} twice"
        seen.add(sid)
        value, unit = deadline(dl)
        services.append([{
            "id": sid, "name_kk": kk, "name_ru": ru, "name_en": en,
            "sector": sector, "providers": prov, "channels": channels(ch),
            "deadline": value, "deadline_unit": unit,
            "documents": "" if docs == "-" else docs, "cost_tenge": cost,
            "result_form": FORMS[form], "automated": AUTO[auto],
            "effective_from": start, "effective_to": "",
        }])
    return services


def succeed(versions):
    """Splits the versions at the reorganisations their providers name
    (`old>new`), so that each version names the body competent then."""
    out = []
    for v in versions:
        pieces = [v]
        for (old, new), date in SUCCESSION.items():
            if f"{old}>{new}" not in v["providers"]:
                continue
            split = []
            for p in pieces:
                inside = p["effective_from"] < date and (
                    not p["effective_to"] or p["effective_to"] >= date)
                if inside:
                    split.append(dict(p, effective_to=day_before(date)))
                    split.append(dict(p, effective_from=date))
                else:
                    split.append(p)
            pieces = split
        for p in pieces:
            chosen = []
            for token in p["providers"].split(";"):
                old, _, new = token.partition(">")
                if new and p["effective_from"] >= SUCCESSION[(old, new)]:
                    chosen.append(new)
                else:
                    chosen.append(old)
            p = dict(p, providers=";".join(chosen))
            # Two pieces with the same content in a row are one version.
            if out and out[-1]["effective_to"] and day_before(p["effective_from"]) == out[-1]["effective_to"] \
                    and all(out[-1][k] == p[k] for k in p if not k.startswith("effective")):
                out[-1]["effective_to"] = p["effective_to"]
            else:
                out.append(p)
    return out


def share(rows, date):
    live = [r for r in rows if r["effective_from"] <= date and (not r["effective_to"] or date <= r["effective_to"])]
    portal = sum("portal" in r["channels"].split(";") for r in live)
    return len(live), portal


def main():
    services = [succeed(v) for v in parse(TABLE)]
    rows = [r for versions in services for r in versions]
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path = pathlib.Path(__file__).with_name("register.csv")
    path.write_text(out.getvalue(), encoding="utf-8")
    print(f"{path.name}: {len(rows)} versions of {len(services)} services")
    for date in ["2020-01-01", "2021-01-01", "2022-01-01", "2023-01-01", "2024-01-01"]:
        n, portal = share(rows, date)
        print(f"  in force on {date}: {n}, on the portal {portal} ({100 * portal / n:.0f}%)")
    if "-v" in sys.argv:
        by = {}
        for versions in services:
            s = by.setdefault(versions[0]["sector"], [0, 0])
            s[0] += 1
            s[1] += len(versions)
        for sector, (n, v) in sorted(by.items()):
            print(f"  {sector}: {n} services, {v} versions")


if __name__ == "__main__":
    main()

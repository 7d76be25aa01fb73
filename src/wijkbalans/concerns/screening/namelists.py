"""Word lists for the name detector, written for this screen (not copied from a file).

Names are stored folded (lower case, no diacritics) at import time, so ``Öztürk``,
``ozturk`` and ``OZTÜRK`` are one entry. The lists aim at the first names and surnames that
professionals in a Dutch city meet most: Dutch (including Frisian and Groningen forms),
Moroccan, Turkish, Surinamese (Hindustani and Creole), Antillean, Polish, Syrian and other
Arabic, Eritrean and Ethiopian, Somali, Afghan and Ukrainian.
"""

from __future__ import annotations

from .text import fold


def _words(block: str) -> frozenset[str]:
    return frozenset(fold(word) for word in block.split())


FIRST_NAMES = _words("""
Jan Johannes Hendrik Henk Cornelis Kees Pieter Piet Willem Wim Gerrit Gert Geert Klaas
Jacob Jaap Dirk Johan Hans Peter Paul Mark Marco Martin Marcel Michel Michael Erik Eric
Frank Rob Robert Richard Ronald Rene Roel Ruud Rudi Bert Albert Ad Arie Anton Antoon Ton
Toon Theo Frans Fred Freek Harm Harry Herman Hugo Jos Joost Jeroen Jasper Joris Jorn Jesse
Jelle Jelmer Jurgen Karel Koen Kevin Lars Laurens Leon Luuk Maarten Martijn Mats Max Menno
Niels Nick Olaf Otto Patrick Pim Ramon Rick Rik Rens Remco Roy Ruben Sander Sebastiaan Sem
Sjoerd Stefan Stijn Sven Teun Thijs Thomas Tim Tom Tijn Vincent Wouter Youri Yuri Daan Bram
Bas Ben Bob Boaz Cas Casper Christiaan Daniel Dennis Dick Edwin Egbert Evert Ferdinand
Floris Gijs Guus Hidde Huub Ivo Jacco Jelte Job Jochem Joep Jonas Jordy Julian Julius
Justin Kai Lucas Levi Liam Luca Milan Mees Noah Finn Siem Sam Jayden Dylan Ryan Jason Mike
Dex Vince Jens Jurre Olivier Stan Timo Tobias Wessel Xander Ties Otis Mason Benjamin Samuel
David Gerard Gerben Hein Hessel Douwe Durk Sietse Sybren Tjeerd Wiebe Wietse Harmen Berend
Bertus Hendrikus Lambertus Roelof Reinder Rutger Siebe Tjalling Wubbo Rinus Ruurd Albertus
Arjen Arnold Aart Bart Benno Bernard Bennie Chris Coen Danny Dave Dion Eelco Emiel Ewout
Fabian Gijsbert Henry Ivar Jack Jarno Jeffrey Jimmy Joey Johnny Jop Jordi Koos Leendert
Lennart Lodewijk Mart Martinus Mathijs Matthijs Melle Merijn Mitchell Nathan Nico Nils Noud
Pascal Pepijn Quinten Raymond Reinier Rein Robin Rocco Rolf Roland Rory Sjaak Steven
Teunis Thom Tristan Twan Valentijn Victor Wilco Wilbert Yannick Yorick Jan-Willem
Jan-Peter Wim-Jan Gerrit-Jan Hendrik-Jan Jelmer Jorrit Jouke Marten Meindert Okke Pieke
Remko Sipke Tjerk Ubbo Wybe Gosse Klaasje Harro Egge Geurt Derk Fokke Hilbrand Luc Ludo
Milo Morris Ravi Romeo Sil Tycho Bo Linde Do Wil Will
Maria Anna Johanna Cornelia Wilhelmina Elisabeth Hendrika Geertruida Truus Riet Ria Rie
Mien Bep Corrie Joke Annie Anneke Ans Els Ellen Ingrid Karin Monique Marianne Marjolein
Mirjam Miriam Petra Sandra Saskia Sanne Linda Esther Ester Inge Ilse Iris Judith Janneke
Jolanda Yolanda Wendy Nicole Patricia Priscilla Natasja Nathalie Chantal Kim Lisa Laura
Lotte Anouk Femke Fleur Floor Eva Emma Julia Sophie Sofie Tess Sara Sarah Zoe Noa Mila
Nina Lieke Lynn Isa Fenna Evi Saar Yara Liv Olivia Nora Nova Luna Elin Maud Lara Hannah
Hanna Anne Lena Lina Roos Rosalie Esmee Amy Demi Romy Britt Kiki Jade Jasmijn Lieve Merel
Marit Nienke Noor Noortje Marloes Loes Lies Liesbeth Mirthe Puck Pien Vera Veerle Fenne
Fay Elise Eline Elisa Ineke Jannie Henny Hennie Gerda Gea Grietje Greet Tineke Trijntje
Aaltje Geesje Hilde Hilda Dineke Diny Dieuwke Froukje Sietske Tjitske Wietske Baukje
Gonny Tanja Anja Sonja Marja Marga Margreet Margriet Mariska Marieke Marlies Martine Mieke
Monica Nelleke Nel Paula Renate Rianne Rineke Sabine Simone Sylvia Tamara Yvonne Wilma
Willemijn Annemarie Anne-Marie Annelies Annemieke Astrid Bianca Carla Carolien Caroline
Claudia Daphne Denise Diana Dorien Evelien Hanneke Helen Heleen Ilona Isabel Jacqueline
Jessica Jolien Jose Joyce Karlijn Kirsten Lianne Manon Maaike Mandy Melanie Michelle
Miranda Myrthe Naomi Natalie Nikki Quirine Rachel Rebecca Sharon Shirley Stephanie
Suzanne Tessa Vivian Yvette Zara Zoey Ivy Hazel Amber Sterre Jet Lot Dewi Fientje Jikke
Mirte Sjoukje Hiske Gerdien Aukje Anke Ank Tiny Toos Wies Door Dora Marleen Marjan Mariet
Mohammed Mohamed Mohammad Muhammad Mohamad Muhammed Mo Ahmed Ahmad Ali Hassan Hasan Hussein
Hossein Youssef Yousef Yusuf Youssouf Omar Oussama Ayoub Bilal Ilias Ilyas Ismail Ismael
Ibrahim Karim Khalid Khaled Mustafa Mostafa Rachid Rashid Said Samir Soufiane Sofyan Hamza
Amin Amine Anass Anas Abdel Abdelkader Abdellah Abdelhak Abdelaziz Abdul Aziz Nordin
Noureddine Redouan Redouane Reda Mehdi Hicham Hakim Driss Mimoun Mounir Nabil Tarik Tariq
Zakaria Zakariya Younes Yassine Yassin Adil Adam Anouar Othman Imad Jamal Jawad Marouane
Marwan Mourad Nassim Rayan Rayane Sami Sofian Taha Walid Yahya Zouhair Badr Brahim Fouad
Hafid Ilyass Moussa Achraf Ayman Faysal Nourdin Abdelilah Soufyan Yassir Aymane
Fatima Fatiha Khadija Aicha Aisha Amina Amira Asmae Asma Bouchra Dounia Fadoua Ghizlane
Hafsa Hajar Hanane Houda Ikram Imane Iman Jamila Kaoutar Karima Latifa Layla Leila Loubna
Malika Maryam Meryem Mariam Nadia Naima Najat Nour Rachida Salma Samira Sanae Siham Souad
Wafa Yasmina Yasmine Yousra Zineb Zainab Zahra Zohra Hiba Rania Aya Soumaya Ilham Nisrine
Noura Nawal Sabah Safae Touria Widad Btissam Chaima Hind Ikrame Lamya Manal Meriam Oumaima
Mehmet Ahmet Huseyin Murat Emre Burak Kerem Mert Cem Kaan Emir Eren Efe Arda Baran Berat
Deniz Enes Furkan Hakan Kemal Kenan Levent Metin Orhan Osman Omer Recep Selim Serkan Sinan
Tolga Tuncay Ufuk Umut Volkan Yasin Yunus Erkan Erdal Ercan Fatih Gokhan Halil Ilhan Koray
Mahmut Musa Necati Onur Ozan Oguz Ramazan Sedat Serdar Soner Taner Tarkan Turgay Yavuz
Ayse Fatma Emine Hatice Zeynep Elif Merve Esra Busra Ebru Derya Dilek Ozlem Sibel Songul
Gulsen Gul Hulya Leyla Nur Nurcan Sevgi Sevim Tulay Yasemin Zehra Ecem Ece Ela Eylul Irem
Defne Azra Aylin Ayla Burcu Damla Duygu Gizem Kubra Melek Melike Nazli Selin Serpil Seda
Seyma Tuba Yeliz Hatice Sema Canan Gulay
Romano Jermaine Giovanni Rodney Glenn Marlon Melvin Denzel Quincy Jair Shanice Desiree
Dwayne Dwight Errol Franklin Gregory Humphrey Kenneth Lorenzo Marvin Maurice Mitchel
Orlando Percy Ricardo Rigano Roberto Ronaldo Sergio Sherwin Stanley Winston Xavier Ashwin
Anand Rajesh Rakesh Sunil Vikash Vishal Amit Anil Deepak Dinesh Krishna Manoj Navin Rishi
Sanjay Suresh Priya Sunita Shanti Anita Asha Kavita Nisha Radha Reshma Rita Sarita Savitri
Sita Usha Varsha Angelique Cheryl Chelsey Gisela Jennifer Kimberley Natasha Orlanda Rowena
Sheila Soraya Tatiana Tiffany Vanessa Genaro Shurandy Jurich Sharella Churandy Jurickson
Rudsel Ashley Shaquille Jamiro Giorgio Rosheny Sheritsa Xiomara Yunaisy Milton
Piotr Krzysztof Tomasz Pawel Michal Marcin Lukasz Grzegorz Andrzej Jakub Kamil Mateusz
Dawid Bartosz Wojciech Maciej Przemyslaw Rafal Sebastian Szymon Adrian Damian Dariusz
Jaroslaw Karol Mariusz Zbigniew Katarzyna Agnieszka Malgorzata Magdalena Joanna
Aleksandra Monika Ewa Justyna Karolina Marta Natalia Paulina Dorota Beata Barbara Iwona
Sylwia Kinga Zuzanna Weronika Wiktoria Agata Dominika Gosia Kasia Basia Ola
Yasser Rami Fadi Mahmoud Ammar Bashar Firas Ghassan Hamid Hani Jihad Karam Louay Majd
Mazen Moaz Nizar Obada Qusai Riad Tamer Wael Yamen Zaid Ziad Ayham Alaa Basel Hadi Laith
Maher Muhannad Odai Rawad Saeed Tarek Abdullah Rasha Rama Reem Dima Hala Heba Lujain
Raghad Rahaf Ruba Sahar Sana Shahd Zeina Ghalia Bayan Ghina Hadeel Joud Yousif
Yonas Dawit Tesfay Mebrahtu Semere Filmon Robel Yohannes Abraham Abrham Amanuel Binyam
Efrem Eyob Habtom Henok Kibrom Merhawi Mussie Natnael Samson Senay Simon Teklay Tewelde
Yemane Yosief Zerai Goitom Mulugeta Solomon Senait Selam Feven Mihret Freweyni Tsega
Tsegereda Rahwa Ruta Saba Segen Lidia Luwam Almaz Azieb Hiwet Meron Mebrat Nebiat Rigat
Semhar Winta Yordanos Bethlehem Hana Rahel Haben
Abdi Abdirahman Farah Hodan Ayaan Faisal Mahad Sahra Farid Jawid Habib Nasrin Parwin
Shabnam Oleksandr Olena Andrii Iryna Yulia Dmytro Serhii Nataliia Oksana Tetiana
Viktoriia Mykola Bohdan Vlad Anastasia Daria Sofiia Maksym Dimitri Dmitri Ivan Sergei
Nikolai Aleksei Olga Svetlana Ludmila Tatjana Irina Elena Andrei Mihai Ionut Georgi
Bogdan Florin Ana Ioana Gheorghe Vasile Cristian Nikola Petar Yordan Desislava Gergana
Ann Anne-Sophie Marie Rose Lou Noé Chloe
""")

#: First names that are also ordinary words in lower case: flagged in lower case only with
#: context (a surname after it, a relation such as "de moeder van ...", a title).
LOWER_WORDLIKE = _words("""
jan ben bob bas mark roos wil will do sem jade lot rob fleur iris lies jet els job
mees max frans amber hazel linde ivy jasmijn merel koos riet ton toon ad rein
joke noor margriet lieve haben selam sana door floor ola nur gul said abraham ruta saba
tiny jack frank
""")

#: First names that, capitalised at the start of a sentence, are more often a word:
#: "Mark de plekken", "Hoop dat", "Wil de gemeente", "Do 12 maart". They need context there.
START_WORDLIKE = _words("""
mark wil will ben do max lot frans ton toon job bas rob roos fleur door floor ad
koos riet joke noor sana said els iris jade amber merel linde jack frank
""")

#: First names that are also a language, a nationality or an abbreviation, capitalised
#: in the middle of a sentence too ("les in Frans", "een Noor", "op Do 14 mei"): they
#: count only with a surname, a title or a relation.
NEEDS_CONTEXT = _words("frans noor do will")

#: Surnames, flagged on their own when capitalised unless they are also words
#: (``SURNAME_WORDS``), which count only after a first name or a title.
SURNAMES = _words("""
Jansen Janssen Janssens Visser Smit Meijer Meyer Mulder Bos Vos Peters Hendriks Dekker
Brouwer Dijkstra Smits Kok Jacobs Vermeulen Schouten Willems Hoekstra Maas Verhoeven
Koster Prins Blom Huisman Peeters Kuipers Kuiper Veenstra Kramer Scholten Postma
Martens Vink Timmermans Groen Gerritsen Jonker Willemsen Smeets Bosch Schipper Driessen
Hermans Evers Hofman Bosman Wolters Sanders Mol Kuijpers Molenaar Verbeek Bosma Wiersma
Jongsma Bolt Pool Huizinga Zijlstra Boersma Tuinstra Kingma Schuiling Oosting Doornbos
Hoving Venema Hofstede Hummel Oosterhuis Wubbolts Kamminga Nienhuis Pronk Siersema Drenth
Lubbers Elzinga Hiemstra Feenstra Talsma Sikkema Bijlsma Mellema Reitsma Kloosterman
Tiemens Haddou Pietersen Pieters Claassen Klaassen Hendriksen Jonkman Nijboer Wijnstra
Dijkhuis Hulshof Bouwman Bakker Bakkers Mulders Boerma Heeringa Kuiken Oldenburger
Mensink Nijhuis Hekman Kleine Wessels Wevers Boon Boonstra Brink Haan Snijder Snijders
Ouwehand Heijnen Rutten Verweij Westra Zwart Zwiers
Yilmaz Kaya Demir Sahin Celik Yildiz Yildirim Ozturk Aydin Ozdemir Arslan Dogan Kilic
Aslan Cetin Koc Kurt Ozkan Simsek Polat Korkmaz Erdogan Guler Acar Aksoy Bulut Keskin
Altun Erdem Gunes Karaca Tekin Uysal Bozkurt Cakir Coskun Ozcan
Amrani Idrissi Bouzid Benali Boukhari Ouali Tahiri Azzouzi Bakkali Ziani Mansouri Alaoui
Belhaj Hamdaoui Aarab Khattabi Bouazza Rahmouni Ouahabi Boujettou Chaouch Haddouchi
Bouharrou Akrouh Ait-Hammou Benhaddou Bouchtaoui Elbaz Moussaoui Tounsi Zaanoun
Ramdin Jagesar Sewnath Ramlal Mahabier Ramsaran Jagroep Ramcharan Bhagwandin Sardjoe
Pinas Wijngaarde Vreden Kasanmoentalib Doekhie Biharie Martina Maduro Isenia Rosaria
Kowalski Nowak Wisniewski Wojcik Kowalczyk Kaminski Lewandowski Zielinski Szymanski
Wozniak Dabrowski Kozlowski Jankowski Mazur Krawczyk
Haddad Khalil Mahmoud Saleh Darwish Najjar Hamdan Khoury Sabbagh Nasser Qassem
Tesfay Gebremedhin Haile Tekle Ghebreyesus Kidane Berhane Habte Tesfamariam Woldu
Mebrahtu Gebreselassie Tesfaye Abraha Kahsay Weldemichael Hagos
Shevchenko Bondarenko Kovalenko Tkachenko Kravchenko Melnyk
""")

#: Surnames that are also Dutch words or place names ("Bakker" is a baker, "Maas" a river).
SURNAME_WORDS = _words("""
Bakker Bakkers Visser Smit Bos Vos Kok Mol Boon Brink Pool Bolt Groen Prins Blom Kramer
Koster Schipper Molenaar Kuiper Zwart Kleine Haan Brouwer Dekker Maas Vink Pronk Hummel
Drenth Snijder Kuiken Boer Mulder Mulders Peters Pieters Jacobs Hermans Sanders Evers
Wessels Martens Koc Kurt Mazur Kaya Saleh Haile Martina Rosaria Ramlal Nowak Kleine
Hofman Huisman Bosman Jonker Jonkman Bouwman Timmermans Zwiers Wevers Kara Uysal Cakir
""")

#: Surnames that follow "de"/"De" ("de Vries", "De Boer"). In lower case after "de" they
#: are often words ("de boer" is a farmer), so they count only capitalised.
DE_SURNAMES = _words("""
Vries Jong Boer Groot Wit Graaf Haan Bruijn Bruin Jonge Lange Leeuw Ruiter Koning Beer
Wolf Vos Backer Bakker Smet Clercq Wilde Waal Kok Witte Gier Kleijn Moor Mol Rooij Ridder
Swart Kruijf Geus Vlieger Zwart Haas Hoog Meij Visser Mulder
""")

#: The core of surnames that follow "van", "van der", "van den", "van de", "ter", "ten"...
VAN_SURNAMES = _words("""
Berg Dijk Leeuwen Meer Linden Heuvel Veen Broek Bruggen Heijden Beek Vliet Ven Dam Wal
Velde Velden Brink Loon Dongen Laan Doorn Bosch Horst Meulen Pol Hoek Zanden
Zee Sluis Kamp Wiel Dijken Graaf Schaik Rijn Steen Ende Elst Haar Hulst Kolk Ploeg Staaij
Helm Maat Putten Ham Hout Ouden Bergh Molen Geest Werff Vegt Plas Weerd Laar Tol Voort
Hal Rossum Hees Veldhuizen Beers Oord Heide Hooft Kooij Klooster Stoel Velzen Wouden
Houten Tuin Slot Zwan Knaap Poel Veer Vaart Zwaan Woude Leest Bos Boom Dal
""")

#: Words between a first name and a surname.
PREFIXES = _words("""
van de der den ter ten te het 't in op onder uit el al ben bin bou abou ait aït ould
da di du del della des le la von zu v d vd
""")

#: Moroccan and Arabic family-name particles: a capitalised word after them is a surname.
ARABIC_PARTICLES = _words("El Al Ben Bin Abou Bou Ait Aït Ould Abu")

#: Words before a name that make it a person: titles and forms of address.
TITLES = _words("""
meneer mevrouw mevr mw mvr dhr heer mr dr drs ir ing prof juf juffrouw meester
fam familie gezin wed weduwe mijnheer mnr
""")

#: Roles before a name ("oma Truus", "wijkagent Bouchra Amrani", "buurman Henk").
ROLES = _words("""
oma opa tante oom neef nicht buurman buurvrouw buurjongen buurmeisje wijkagent agent
vader moeder broer zus broertje zusje zoon dochter stiefvader stiefmoeder vriend vriendin
collega leerling leerlinge cliënt client klant bewoner bewoonster huurder huurster
mentor coach docent leraar lerares trainer
""")

#: "de moeder van Kevin": a relation word, then "van", then the person.
RELATIONS = _words("""
moeder vader ouders broer broertje broers zus zusje zussen zoon zoontje dochter
dochtertje oma opa tante oom neef neefje nicht nichtje vriend vriendje vriendin
vriendinnetje buurman buurvrouw stiefvader stiefmoeder stiefzoon stiefdochter partner ex
man vrouw kind kinderen gezin familie baby kleinzoon kleindochter schoonmoeder
schoonvader zwager schoonzus verloofde klasgenoot klasgenote pleegmoeder pleegvader
pleegkind halfbroer halfzus vriendjes vriendinnen
""")

#: Places and neighbourhoods (Groningen first) that are capitalised and never a person.
PLACES = _words("""
Groningen Selwerd Paddepoel Vinkhuizen Hoogte Korrewegwijk Beijum Lewenborg Oosterpark
Oosterparkwijk Schildersbuurt Hoogkerk Haren Zernike Helpman Wijert Hoornse Kardinge
Drielanden Meerstad Reitdiep Gravenburg Piccardthof Held Zuidwolde Noorddijk Ulgersmaborg
Oosterhoogebrug Noorderplantsoen Stadspark Rivierenbuurt Indische Herewegbuurt
Badstratenbuurt Zeeheldenbuurt Zeeheldenkwartier Hortusbuurt Binnenstad Europapark
Corpus Hoorn Ruischerbrug Ruischerwaard Engelbert Middelbert Euvelgunne Glimmen
Noordlaren Onnen Garmerwolde Eelde Paterswolde Leek Zuidhorn Bedum Winsum Delfzijl
Veendam Stadskanaal Winschoten Hoogezand Sappemeer Slochteren Appingedam Assen Drachten
Leeuwarden Emmen Zwolle Amsterdam Rotterdam Utrecht Eindhoven Nederland Holland Friesland
Drenthe Marokko Turkije Suriname Curacao Aruba Polen Syrie Eritrea Ethiopie Somalie
Afghanistan Oekraine Irak Iran Europa Apel Linie Velden Wijk Punt Wilp Horn Andel
Tuinwijk Vondelpark Martini Martinitoren Prinsenhof Noorderhaven Selwerderhof Schiedam
Zaandam Edam Volendam Monnickendam Dordrecht Leerdam Eindhoven Hoogeveen Steenwijk
Harderwijk Beverwijk Rijswijk Naaldwijk Katwijk Noordwijk Zoeterwoude Bergambacht
""")

#: Words that, before a name, make it part of an organisation, a building or a public
#: figure's title: "Stichting De Hoop", "Sint Maarten", "Koning Willem-Alexander".
ORG_HEADS = _words("""
stichting buurthuis wijkcentrum dorpshuis basisschool school obs cbs kbs ikc kindcentrum
college lyceum gymnasium kerk moskee sint st prins prinses koning koningin keizer
keizerin graaf hertog paus huize zorgcentrum verpleeghuis woonzorgcentrum flat
flatgebouw complex project programma fonds vereniging club sportclub voetbalclub
team huis hotel cafe restaurant snackbar winkel supermarkt bakkerij garage
""")

#: Words after a name that make it part of an organisation or a building:
#: "Willem Lodewijk Gymnasium", "Anne Frankschool", "Maarten Luther Kerk".
ORG_TAILS = (
    "school", "college", "gymnasium", "lyceum", "ziekenhuis", "kliniek", "stichting",
    "fonds", "huis", "centrum", "kerk", "moskee", "park", "hal", "arena", "stadion", "zaal",
    "instituut", "academie", "bibliotheek", "museum", "prijs", "plein", "brug", "dag",
    "toren", "borg", "hof", "oord", "stede",
)

#: Capitalised words that are never the surname half of a name.
NOT_SURNAMES = _words("""
Politie Humanitas Sociaal Team Wijkteam Buurtteam Jongerenwerk Gemeente Veilig Thuis GGD
Lentis Elker Accare Nijestee Lefier Patrimonium Voedselbank Kredietbank Leger Heils
Vluchtelingenwerk Reclassering Halt Jeugdbescherming Raad Kinderbescherming UMCG WIJ
Zorg Welzijn Stichting Buurthuis Basisschool Supermarkt Heijn Jumbo Lidl Aldi Hema
Action Kruidvat Coop Spar Plus Vomar Poiesz Nettorama Moskee Kerk Station Centraal
Maandag Dinsdag Woensdag Donderdag Vrijdag Zaterdag Zondag Januari Februari Maart April
Mei Juni Juli Augustus September Oktober November December Pasen Kerst Ramadan
Suikerfeest Offerfeest Sinterklaas Koningsdag Oud Nieuw Nee Ja Ok Oké Graag Dank Groet
Groeten Verder Daarnaast Ook Helaas Bovendien Toen Nu Sinds Vanaf Tijdens Vandaag
Gisteren Morgen Vanochtend Vanavond Vannacht Hij Zij Ze Wij We Ik Jij Je Er Het De Een
Dit Dat Die Deze Daar Hier Waar Wie Wat Hoe Wanneer Omdat Als Maar En Of Want Dus Bij In
Op Aan Met Voor Na Van Uit Naar Over Om Tot Door Zonder Tegen Achter Onder Boven Naast
Rond Langs Via Per Vanuit Volgens Samen Eerst Daarna Tot Ook Meer Minder Veel Weinig
Alle Geen Elke Iedere Ieder Sommige Enkele Beide Diverse Meerdere Andere Zijn Haar Hun
Mijn Onze Jouw Uw Melding Signaal Zorgen Overlast School Wijk Buurt Straat Bewoners
Jongeren Kinderen Ouders Gezinnen Moeder Vader Oma Opa Jongen Meisje Man Vrouw Zoon
Dochter Broer Zus Buurman Buurvrouw Leerling Leerlingen Klas Groep Hulp Geld Schulden
Drugs Politie Agent Wijkagent Boa Boas Handhaving Jeugdzorg Huisarts Ziekenhuis
Noord Zuid Oost West Noordkant Zuidkant Oostkant Westkant Centrum Stad Dorp Gezin
Familie Bus Auto Scooter Fiets Trein Markt Winkel Snackbar Cafe Kroeg Park Plein
Engels Nederlands Duits Arabisch Turks Pools Wiskunde Biologie Geschiedenis Gym
Tussen Ondanks Hoewel Zodra Terwijl Nadat Voordat Doordat Zoals Welke Welk Hierdoor
Daardoor Daarom Echter Vooral Wel Niet Soms Vaak Altijd Nooit Waardoor Inmiddels
Momenteel Vorige Volgende Afgelopen Komende Zowel Noch Toch Misschien Waarschijnlijk
Mogelijk Zeker Graag Ook Alleen Vanwege Wegens Binnen Buiten Rondom Tegenover Sindsdien
Hierna Daarbij Hierbij Verder Tenslotte Uiteindelijk Opvallend Let Zie Svp Aub Info
Ter Te Zo Zoveel Steeds Nog Al Reeds Pas Net Even Weer Enkel Slechts Ruim Bijna Circa
Ongeveer Totaal Gemiddeld Per Inclusief Exclusief Excl Incl Ca Bijv Bv Oa Nb Ps
Peuter Kleuter Puber Tiener Scholier Student Studente Tweeling Jongere Oudere Weduwe
Weduwnaar Eigenaar Huurder Verdachte Slachtoffer Dader Vrijwilliger Mantelzorger
Statushouder Vluchteling Asielzoeker Arbeidsmigrant Melder Cliënt Client Bewoner Bewoonster
Jongeman Dame Heer Persoon Minderjarige Meerderjarige Kind Baby Zoon Dochter Stiefzoon
""")

#: Fixed phrases that contain a first name but name no one.
PHRASES = (
    "jan modaal", "jan en alleman", "jan publiek", "jan met de pet", "jan-met-de-pet",
    "zwarte piet", "klaas vaak", "joost mag het weten", "jantje lacht", "hans en grietje",
    "sint maarten", "sint nicolaas", "albert heijn", "jan linders", "hans anders",
    "max havelaar", "dirk van den broek", "abraham gezien", "sarah gezien",
    "willem lodewijk", "anne frank", "maarten luther", "willem-alexander", "willem alexander",
    "jan pieter heije", "emma kinderziekenhuis", "koning willem", "prinses amalia",
    "prinses beatrix", "prinses irene", "prinses margriet", "prins claus", "prins bernhard",
    "onze lieve vrouw", "maria ten hemelopneming", "johan de witt", "michiel de ruyter",
    "piet hein", "de ploeg", "de hoop", "de molen", "de dijk", "de dam", "de sluis",
    "ten boer", "ten post", "ter apel", "den horn", "den haag", "den helder", "den bosch",
    "den andel", "den ham", "de punt", "de wilp", "de held", "de hoogte", "de wijert",
    "de linie", "el salvador", "el nino", "al jazeera", "al qaida", "al-qaida",
)

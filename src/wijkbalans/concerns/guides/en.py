"""The guides in English (a translation of :mod:`.nl`). Real, public national numbers
only; the local partners come from the routing table."""

# ruff: noqa: E501

ALARM = ("112", "112", "", "When someone is in immediate danger or needs help right now.")
POLICE = ("Police, non-emergency", "0900-8844", "https://www.politie.nl",
          "When it is not urgent, or to talk to the neighbourhood officer.")
MUNICIPALITY = ("The municipality", "", "",
                "Call the general number 14 followed by the area code of your municipality (for example 14 050).")

GUIDES = {
    "undermining": {
        "title": "What to do when you see signs of undermining crime",
        "intro": "Undermining crime eats away at a neighbourhood from within: drug dealing, young people being recruited, money mules, businesses that are a front. You may see the first signs. Your task is to notice and report, not to investigate.",
        "signs": [
            "Young people suddenly have a lot of money, expensive clothes or a new phone, and you do not know where from.",
            "Young people say someone wants to 'borrow' their bank card, or that they can earn money with their account.",
            "Many short visits to a home or a car, also in the evening and at night.",
            "A shop or business that hardly ever has customers but stays open.",
            "Young people skip school and spend time with older boys they did not know before.",
            "Windows taped shut, a strong smell of cannabis or a strange humming sound.",
        ],
        "do": [
            "Write down what you saw, in which buurt and in which week. Not who.",
            "Record it as a concern, without names, addresses or licence plates.",
            "Call 112 if there is immediate danger.",
            "Want to say something about people? Call the police (0900-8844) or report anonymously to Meld Misdaad Anoniem (0800-7000).",
            "Discuss it with your manager or with the municipality's safety team.",
            "Stay in touch with the young people. A good bond with an adult protects them.",
        ],
        "dont": [
            "Do not investigate, follow people or take photos yourself.",
            "Do not confront anyone with suspicions of crime.",
            "Do not promise secrecy you cannot keep.",
            "Do not put names, addresses or licence plates in a concern.",
        ],
        "contacts": [
            ALARM,
            POLICE,
            ("Meld Misdaad Anoniem", "0800-7000", "https://www.meldmisdaadanoniem.nl",
             "When you know something about a crime and want to stay anonymous."),
            MUNICIPALITY,
        ],
    },
    "poverty_debts": {
        "title": "What to do when you see that someone has money worries",
        "intro": "Debts grow fast when nobody helps. The sooner someone gets help, the smaller the problem stays. The municipality's debt help is free.",
        "signs": [
            "Letters and reminders lie unopened.",
            "Children come to school without breakfast, have no sports kit or do not come on school trips.",
            "Gas, electricity or water has been cut off, or is about to be.",
            "People cancel appointments, feel ashamed or avoid contact.",
            "A lot of stress, poor sleep, quarrels about money.",
        ],
        "do": [
            "Calmly ask how things are and whether money is a worry.",
            "Refer to the municipality's debt help. It is free.",
            "Mention Geldfit (0800-8115, geldfit.nl): free and anonymous advice.",
            "Help with the first step, for example by making the call together.",
            "See this more often in a buurt? Record it as a concern.",
        ],
        "dont": [
            "Do not lend money yourself or take over someone's banking.",
            "Do not judge. Money worries can happen to anyone.",
            "Do not promise that the debts will go away.",
            "Do not put people's names or amounts in a concern.",
        ],
        "contacts": [
            ("Debt help of the municipality", "", "",
             "Call the general number 14 with your municipality's area code and ask for debt help."),
            ("Geldfit", "0800-8115", "https://www.geldfit.nl",
             "Free and anonymous advice on money worries, also when you worry about someone else."),
            ("Het Juridisch Loket", "0900-8020", "https://www.juridischloket.nl",
             "Questions about rights, for example about a bailiff or rent arrears."),
        ],
    },
    "psychological": {
        "title": "What to do when you see that someone is not doing well mentally",
        "intro": "People can get stuck mentally through stress, loss, debts or illness. You do not have to be a care worker to help. A conversation and the way to help already make a difference.",
        "signs": [
            "Someone withdraws and neglects themselves or their home.",
            "Confused behaviour: talking incoherently, being very anxious or suspicious.",
            "Someone talks about death or says life has no point any more.",
            "Heavy use of alcohol or drugs.",
            "Nuisance in the neighbourhood caused by confused behaviour.",
        ],
        "do": [
            "Call 112 in immediate danger.",
            "Do you think someone is thinking about suicide? Ask about it calmly. Asking does not make it worse.",
            "Refer to 113 Zelfmoordpreventie: call 113 or free 0800-0113, day and night.",
            "No immediate danger? Suggest seeing the GP.",
            "Confused behaviour that is not urgent: call the police on 0900-8844.",
            "Record it as a concern when you see it more often in a buurt.",
        ],
        "dont": [
            "Do not leave someone in acute danger alone.",
            "Do not make a diagnosis.",
            "Do not promise secrecy when someone is in danger.",
            "Do not put names or health details in a concern.",
        ],
        "contacts": [
            ALARM,
            ("113 Zelfmoordpreventie", "0800-0113", "https://www.113.nl",
             "Day and night, free and anonymous. You can also call 113 or chat at 113.nl."),
            ("The GP (huisarts)", "", "", "When there is no immediate danger, the GP is the first step to help."),
            ("De Luisterlijn", "088-0767000", "https://www.deluisterlijn.nl",
             "Someone to listen, day and night."),
            POLICE,
        ],
    },
    "loneliness": {
        "title": "What to do when you see that someone is lonely",
        "intro": "You cannot always see loneliness. It affects young and old. A small step, such as a chat, can mean a lot.",
        "signs": [
            "You hardly ever see someone outside or at activities any more.",
            "Someone tells you they have nobody to talk to.",
            "After losing a partner or a job, someone withdraws.",
            "Post piles up or the curtains stay closed.",
        ],
        "do": [
            "Have a chat and ask how things are.",
            "Point out activities in the neighbourhood, such as the community centre or the library.",
            "Refer to the municipality's social team.",
            "Mention De Luisterlijn (088-0767000) for a conversation, day and night.",
            "Post piling up and you worry someone is in distress? Call 112.",
        ],
        "dont": [
            "Do not take over everything. Small steps work better.",
            "Do not force anyone to take part.",
            "Do not put names or addresses in a concern.",
        ],
        "contacts": [
            ("Social team", "", "",
             "Call the general number 14 with your municipality's area code and ask for the social team."),
            ("De Luisterlijn", "088-0767000", "https://www.deluisterlijn.nl",
             "Someone to listen, day and night."),
            ("Eén tegen eenzaamheid", "", "https://www.eentegeneenzaamheid.nl",
             "Ideas and activities against loneliness."),
            ALARM,
        ],
    },
    "housing": {
        "title": "What to do when you see that homes are in poor condition",
        "intro": "A poor home makes people ill and causes stress. Residents sometimes do not dare to complain. You can show them the way.",
        "signs": [
            "Mould, damp, draughts or broken heating.",
            "Many people in a small home.",
            "Overdue maintenance: broken lights, lifts or doors in stairwells.",
            "Escape routes are blocked or fire safety seems wrong.",
            "Tenants are afraid to complain to the landlord.",
        ],
        "do": [
            "Advise residents to report defects to the landlord in writing.",
            "With a housing corporation: it is a partner and receives this concern.",
            "With a private landlord: point to the Huurcommissie or Het Juridisch Loket (0900-8020).",
            "Smell gas or see immediate fire danger? Call 112. For a gas outage: 0800-9009.",
            "See it in more homes in a buurt? Record it as a concern.",
        ],
        "dont": [
            "Do not put addresses or house numbers in a concern. Name the buurt.",
            "Do not enter a home without permission.",
            "Do not promise anything on the landlord's behalf.",
        ],
        "contacts": [
            ALARM,
            ("Gas and electricity outages", "0800-9009", "",
             "When you smell gas or there is an outage of gas or electricity."),
            ("Huurcommissie", "", "https://www.huurcommissie.nl",
             "For a dispute with the landlord about maintenance or rent."),
            ("Het Juridisch Loket", "0900-8020", "https://www.juridischloket.nl",
             "Questions about tenants' rights."),
        ],
    },
    "youth_at_risk": {
        "title": "What to do when you see that a young person is getting into trouble",
        "intro": "Young people often show small changes first. You know them and may be the first to notice. Stay in touch and call in help in time.",
        "signs": [
            "Skipping school or often reported sick.",
            "Changed behaviour, new (older) friends, money or things without explanation.",
            "Out on the street late or not sleeping at home.",
            "Hunger, bruises or fear of going home.",
            "Talking about knives or weapons.",
        ],
        "do": [
            "Stay in touch and listen without judging.",
            "Follow your organisation's reporting code for domestic violence and child abuse.",
            "In doubt about violence or abuse? Call Veilig Thuis (0800-2000) for advice. You may stay anonymous.",
            "Consult the school attendance officer or the social team.",
            "Young people can call De Kindertelefoon themselves: 0800-0432.",
            "Call 112 in immediate danger.",
        ],
        "dont": [
            "Do not question anyone or look for evidence yourself.",
            "Do not promise secrecy.",
            "Do not put names, classes or anything else that identifies a young person in a concern.",
        ],
        "contacts": [
            ALARM,
            ("Veilig Thuis", "0800-2000", "https://www.veiligthuis.nl",
             "Advice and reports on domestic violence and child abuse, day and night."),
            ("De Kindertelefoon", "0800-0432", "https://www.kindertelefoon.nl",
             "For children and young people themselves, free and anonymous."),
            POLICE,
        ],
    },
    "other": {
        "title": "What to do when you see something else that worries you",
        "intro": "Not everything fits a theme. Unsafe places, tension between groups or a neighbourhood in decline are important concerns too.",
        "signs": [
            "Places where people feel unsafe, for example because of poor lighting.",
            "Tension or quarrels between groups in the neighbourhood.",
            "A lot of litter, vandalism or empty buildings.",
        ],
        "do": [
            "Describe what you see and in which buurt. Not who.",
            "Record it as a concern. The programme bureau sees which partner takes it up.",
            "In doubt? Talk to your manager.",
            "Call 112 in immediate danger, and the police (0900-8844) when it is not urgent.",
        ],
        "dont": [
            "Do not put names, addresses, phone numbers or licence plates in a concern.",
            "Do not enforce anything yourself.",
        ],
        "contacts": [ALARM, POLICE, MUNICIPALITY],
    },
}

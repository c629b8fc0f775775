"""News and events in Japanese and English: 6 news items, 4 events (2 past).

Event dates are set relative to the day the demo is first loaded, so a fresh
`make run` always shows two upcoming and two past events. Repeatable: pages
that exist (by slug) are left alone.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone
from events.models import EventIndexPage, EventKind, EventPage, EventRegistration, NewsIndexPage, NewsPage
from events.services import registration_create, registration_set_status
from people.models import Person
from wagtail.models import Locale

from home.models import HomePage

from .home import ensure_home

JST = ZoneInfo("Asia/Tokyo")

INDEXES = {
    NewsIndexPage: {
        "slug": "news",
        "ja": {"title": "ニュース", "intro": "オープンイノベーション機構からのお知らせです。"},
        "en": {"title": "News", "intro": "Announcements from the Open Innovation Organization."},
    },
    EventIndexPage: {
        "slug": "events",
        "ja": {
            "title": "イベント・セミナー",
            "intro": "企業の皆さまと研究者が出会うマッチングイベントやセミナーのご案内です。",
        },
        "en": {
            "title": "Events and seminars",
            "intro": "Matching events and seminars where companies meet our researchers.",
        },
    },
}

NEWS = [
    {
        "slug": "fy2026-membership-open",
        "days_ago": 3,
        "ja": {
            "title": "2026年度 法人会員の募集を開始しました",
            "summary": "研究シーズの詳細情報やコンソーシアムへの参加など、会員向けサービスをご利用いただけます。",
            "body": "<p>オープンイノベーション機構は、2026年度の法人会員の募集を開始しました。"
            "会員企業の皆さまは、研究シーズの詳細情報の閲覧、共同研究コンソーシアムへの参加、"
            "会員限定資料のダウンロードなどをご利用いただけます。</p>",
        },
        "en": {
            "title": "Corporate membership for fiscal 2026 is now open",
            "summary": "Members can read detailed seed information and join research consortia.",
            "body": "<p>The Open Innovation Organization now accepts corporate members for fiscal 2026. "
            "Members can read detailed information on research seeds, join joint research consortia "
            "and download members-only materials.</p>",
        },
    },
    {
        "slug": "new-general-cm",
        "days_ago": 12,
        "ja": {
            "title": "統括クリエイティブ・マネージャーが着任しました",
            "summary": "エネルギー・環境分野の企業連携を担当する統括CMが新たに加わりました。",
            "body": "<p>エネルギー・環境分野における組織対応型共同研究の企画を担う統括クリエイティブ・マネージャーが"
            "着任しました。企業の経営層との対話を通じて、大型の共同研究を提案してまいります。</p>",
        },
        "en": {
            "title": "A new general creative manager has joined us",
            "summary": "A general CM for energy and environment partnerships has joined the organization.",
            "body": "<p>A new general creative manager now plans organization-level joint research in energy and "
            "the environment, working with company leaders to propose large research programmes.</p>",
        },
    },
    {
        "slug": "materials-consortium-launched",
        "days_ago": 25,
        "ja": {
            "title": "次世代マテリアル共同研究コンソーシアムを設立しました",
            "summary": "素材・化学メーカー5社と次世代マテリアルの共同研究を開始します。",
            "body": "<p>素材・化学分野の企業5社の参加を得て、次世代マテリアル共同研究コンソーシアムを設立しました。"
            "参加企業と研究者が定期的に集まり、研究計画と成果を共有します。</p>",
        },
        "en": {
            "title": "Next-generation materials research consortium launched",
            "summary": "Five materials and chemical companies start joint research with us.",
            "body": "<p>With five companies from the materials and chemical industries, we have launched a "
            "consortium for next-generation materials. Members and researchers meet regularly to share "
            "plans and results.</p>",
        },
    },
    {
        "slug": "seed-catalogue-renewed",
        "days_ago": 40,
        "ja": {
            "title": "研究シーズ紹介ページをリニューアルしました",
            "summary": "分野・研究科・ステージで研究シーズを絞り込めるようになりました。",
            "body": "<p>研究シーズの紹介ページをリニューアルしました。研究分野、研究科・専攻、"
            "OIモデルのステージ、連携形態で絞り込み、関心のあるシーズに直接お問い合わせいただけます。</p>",
        },
        "en": {
            "title": "Our research seed catalogue has been renewed",
            "summary": "Seeds can now be filtered by field, department and stage.",
            "body": "<p>The research seed catalogue has been renewed. Filter seeds by research field, department, "
            "stage in the OI model and type of collaboration, and ask about any seed directly.</p>",
        },
    },
    {
        "slug": "cost-rules-published",
        "days_ago": 60,
        "ja": {
            "title": "共同研究の費用算定ルールを公開しました",
            "summary": "間接経費（直接経費の30％）と研究者人件費の考え方をご紹介します。",
            "body": "<p>共同研究の費用算定について、間接経費（直接経費の30％：一般管理費10％、戦略的産学連携経費20％）"
            "と、研究者の人件費を時間単価で積算する考え方を公開しました。</p>",
        },
        "en": {
            "title": "How we calculate the cost of joint research",
            "summary": "Indirect costs (30% of direct costs) and researcher personnel costs explained.",
            "body": "<p>We have published how joint research costs are calculated: indirect costs of 30% of direct "
            "costs (10% general, 20% strategic collaboration) and researcher personnel costs by hourly rate.</p>",
        },
    },
    {
        "slug": "year-end-closure",
        "days_ago": 90,
        "ja": {
            "title": "年末年始の窓口休止のお知らせ",
            "summary": "期間中のお問い合わせは、休止明けに順次回答いたします。",
            "body": "<p>年末年始は窓口業務を休止いたします。期間中にいただいたお問い合わせには、"
            "休止明けに順次回答いたします。</p>",
        },
        "en": {
            "title": "Office closed over the New Year holidays",
            "summary": "Inquiries received during the closure will be answered afterwards.",
            "body": "<p>Our office is closed over the New Year holidays. Inquiries received during this time will "
            "be answered in order once we reopen.</p>",
        },
    },
]

EVENTS = [
    {
        "slug": "matching-day-life-science",
        "days": 21,
        "hours": (13, 17),
        "kind": EventKind.MATCHING,
        "capacity": 80,
        "online_url": "",
        "ja": {
            "title": "ライフサイエンス分野 マッチングデー",
            "summary": "研究者10名による技術シーズ紹介と個別面談。",
            "venue": "共創大学 青葉キャンパス 共創ホール",
            "body": "<p>ライフサイエンス分野の研究者10名が技術シーズを紹介し、ご関心のある企業の皆さまと個別面談を行います。</p>",
        },
        "en": {
            "title": "Life science matching day",
            "summary": "Ten researchers present their seeds, followed by one-to-one meetings.",
            "venue": "Kyoso Hall, Aoba Campus, Kyoso University",
            "body": "<p>Ten life science researchers present their seeds and meet interested companies one to one.</p>",
        },
    },
    {
        "slug": "seminar-ai-manufacturing",
        "days": 45,
        "hours": (15, 17),
        "kind": EventKind.SEMINAR,
        "capacity": 100,
        "online_url": "https://meet.example.jp/kyoso-ai-seminar",
        "ja": {
            "title": "オンラインセミナー「ものづくりとAI」",
            "summary": "製造現場へのAI導入事例と共同研究の進め方。",
            "venue": "",
            "body": "<p>製造現場へのAI導入の事例と、大学との共同研究の進め方をご紹介します。オンラインで開催します。</p>",
        },
        "en": {
            "title": "Online seminar: AI in manufacturing",
            "summary": "Case studies of AI on the shop floor and how joint research works.",
            "venue": "",
            "body": "<p>Case studies of AI in manufacturing and how joint research with the university works. Online.</p>",
        },
    },
    {
        "slug": "energy-forum-2026",
        "days": -30,
        "hours": (14, 17),
        "kind": EventKind.EVENT,
        "capacity": 150,
        "online_url": "https://meet.example.jp/kyoso-energy-forum",
        "ja": {
            "title": "エネルギー・環境イノベーションフォーラム",
            "summary": "カーボンニュートラルに向けた産学連携の最前線。",
            "venue": "共創大学 片平キャンパス 講堂",
            "body": "<p>カーボンニュートラルに向けた産学連携の取り組みを、研究者と企業の講演でご紹介しました。</p>",
        },
        "en": {
            "title": "Energy and environment innovation forum",
            "summary": "Industry-academia collaboration for carbon neutrality.",
            "venue": "Auditorium, Katahira Campus, Kyoso University",
            "body": "<p>Researchers and companies presented their work towards carbon neutrality.</p>",
        },
    },
    {
        "slug": "ip-licensing-seminar",
        "days": -75,
        "hours": (10, 12),
        "kind": EventKind.SEMINAR,
        "capacity": 40,
        "online_url": "",
        "ja": {
            "title": "知財ライセンスセミナー",
            "summary": "大学特許のライセンス契約の基礎。",
            "venue": "共創大学 星陵キャンパス 会議室A",
            "body": "<p>知財CMが、大学の特許をライセンスする際の契約の基礎と手続きを解説しました。</p>",
        },
        "en": {
            "title": "Seminar on licensing university IP",
            "summary": "The basics of licensing university patents.",
            "venue": "Meeting room A, Seiryo Campus, Kyoso University",
            "body": "<p>Our IP creative manager explained the basics of licensing the university's patents.</p>",
        },
    },
]


def _translate(page, locale: Locale, fields: dict) -> None:
    """Publish `page`'s translation into `locale` (simple_translation's copy) unless it exists."""
    if page.get_translations().filter(locale=locale).exists():
        return
    copy = page.copy_for_translation(locale)
    for field, value in fields.items():
        setattr(copy, field, value)
    copy.save_revision().publish()


def _index(model, home: HomePage, en: Locale):
    spec = INDEXES[model]
    index = model.objects.child_of(home).first()
    if index is None:
        index = home.add_child(instance=model(slug=spec["slug"], show_in_menus=True, locale=home.locale, **spec["ja"]))
        index.save_revision().publish()
    _translate(index, en, spec["en"])
    return index


def load(stdout) -> None:
    home = ensure_home()
    en = Locale.objects.get(language_code="en")
    news_index = _index(NewsIndexPage, home, en)
    events_index = _index(EventIndexPage, home, en)

    today = timezone.localdate()
    for item in NEWS:
        news = NewsPage.objects.child_of(news_index).filter(slug=item["slug"]).first()
        if news is None:
            news = news_index.add_child(
                instance=NewsPage(slug=item["slug"], date=today - timedelta(days=item["days_ago"]), **item["ja"])
            )
            news.save_revision().publish()
        _translate(news, en, item["en"])

    for item in EVENTS:
        event = EventPage.objects.child_of(events_index).filter(slug=item["slug"]).first()
        if event is None:
            day = today + timedelta(days=item["days"])
            start = datetime.combine(day, time(item["hours"][0]), tzinfo=JST)
            end = datetime.combine(day, time(item["hours"][1]), tzinfo=JST)
            event = events_index.add_child(
                instance=EventPage(
                    slug=item["slug"],
                    kind=item["kind"],
                    start=start,
                    end=end,
                    capacity=item["capacity"],
                    online_url=item["online_url"],
                    **item["ja"],
                )
            )
            event.save_revision().publish()
        _translate(event, en, item["en"])

    ensure_event_contacts(events_index)
    registrations = ensure_registrations(events_index)
    stdout.write(
        f"news and events: {len(NEWS)} news items, {len(EVENTS)} events (ja, en), {registrations} new registrations"
    )


# Who hears of each event's registrations (people from demo.pages).
EVENT_CONTACTS = {
    "matching-day-life-science": "nishimura-kenta",
    "seminar-ai-manufacturing": "aoki-sayaka",
    "energy-forum-2026": "kuroda-mayumi",
    "ip-licensing-seminar": "sakaguchi-ryo",
}


def ensure_event_contacts(events_index) -> None:
    """Give each demo event without a contact CM its CM, in both languages."""
    people = {p.slug: p for p in Person.objects.filter(slug__in=EVENT_CONTACTS.values())}
    for event in EventPage.objects.descendant_of(events_index).filter(slug__in=EVENT_CONTACTS):
        cm = people.get(EVENT_CONTACTS[event.slug])
        if cm is None or event.contact_cm_id:
            continue
        for page in [event, *(t.specific for t in event.get_translations())]:
            page.contact_cm = cm
            page.save_revision().publish()


# (name, e-mail, company, language); the last one was cancelled by staff.
REGISTRANTS = [
    ("田中 一郎", "tanaka@example.co.jp", "共創製薬株式会社", "ja"),
    ("鈴木 美咲", "suzuki@example.co.jp", "東北バイオ株式会社", "ja"),
    ("Emily Carter", "emily.carter@example.com", "Northfield Diagnostics Ltd.", "en"),
    ("高橋 誠", "takahashi@example.co.jp", "青葉メディカル株式会社", "ja"),
]


def ensure_registrations(events_index) -> int:
    """A few registrations for the first upcoming event, through the services
    (so each has its history), one of them cancelled by the demo administrator."""
    event = EventPage.objects.child_of(events_index).filter(slug="matching-day-life-science").first()
    if event is None or not event.accepts_registrations or EventRegistration.objects.filter(event=event).exists():
        return 0
    english = event.get_translation_or_none(Locale.objects.get(language_code="en"))
    made = []
    for name, email, company, language in REGISTRANTS:
        page = english.specific if language == "en" and english is not None else event
        made.append(registration_create(event=page, name=name, email=email, company=company, language_code=language))
    staff = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    registration_set_status(
        registration=made[-1], status="cancelled", by=staff, note="先方から電話で欠席の連絡", notify=False
    )
    return len(made)

"""Demo content for the public site: taxonomies, people, the organization
pages and 60+ research seeds, each in Japanese and English. Repeatable: what
exists (by slug) is left alone."""

import datetime

from django.utils import timezone
from organization.models import (
    ContactPage,
    CostRulesPage,
    MembershipGuidePage,
    OrganizationPage,
    PrivacyPolicyPage,
    StructurePage,
)
from people.models import PeopleIndexPage, Person
from seeds.models import Department, ResearchField, SeedIndexPage, SeedPage
from wagtail.images.models import Image
from wagtail.models import Page

from home.models import HomeFeaturedSeed, HomePage

from .figures import FigureText, ensure_seed_figure, figure_kind, figure_text
from .home import ensure_home, ensure_locales
from .photos import ensure_portraits
from .seed_data import CMS, DEPARTMENTS, FIELDS, POSITIONS, RESEARCHER_FAMILIES, RESEARCHER_GIVEN, TOPICS

COLLABS = ["joint", "contract", "guidance", "license", "venture"]
STAGES = ["seed", "module", "unit"]
# CMs who work with foreign companies and read their notices in English.
ENGLISH_READING_CMS = {"sakaguchi-ryo"}


def ensure_taxonomies() -> None:
    for order, (slug, ja, en) in enumerate(FIELDS):
        ResearchField.objects.update_or_create(slug=slug, defaults={"name": ja, "name_en": en, "sort_order": order})
    for order, (slug, ja, en) in enumerate(DEPARTMENTS):
        Department.objects.update_or_create(slug=slug, defaults={"name": ja, "name_en": en, "sort_order": order})


def ensure_people() -> tuple[list[Person], list[Person]]:
    cms = []
    for order, (slug, role, fam, giv, fk, gk, fr, gr, pos, pos_en) in enumerate(CMS):
        person, _ = Person.objects.get_or_create(
            slug=slug,
            defaults={
                "role": role,
                "family_name": fam,
                "given_name": giv,
                "family_name_kana": fk,
                "given_name_kana": gk,
                "family_name_romaji": fr,
                "given_name_romaji": gr,
                "position": pos,
                "position_en": pos_en,
                "affiliation": "オープンイノベーション機構",
                "affiliation_en": "Open Innovation Organization",
                "career": f"民間企業で研究開発と事業企画に従事した後、{pos}として着任。企業との大型共同研究の企画を担当。",
                "career_en": f"Worked in corporate R&D and business planning before joining as {pos_en}. Plans large joint research with companies.",
                "message": "大学の知と企業の課題を結び、社会を変える共同研究を一緒につくりましょう。",
                "message_en": "Let us link the university's knowledge with your challenges and build joint research that changes society.",
                "email": f"{slug}@oi.kyoso.example.jp",
                "notification_language": "en" if slug in ENGLISH_READING_CMS else "ja",
                "sort_order": order,
            },
        )
        cms.append(person)
    researchers = []
    dept_slugs = [d for d, *_ in DEPARTMENTS]
    departments = {d.slug: d for d in Department.objects.all()}
    for i, ((fam, fk, fr), (giv, gk, gr)) in enumerate(zip(RESEARCHER_FAMILIES, RESEARCHER_GIVEN, strict=True)):
        slug = f"{fr.lower()}-{gr.lower()}"
        dept = departments[dept_slugs[i % len(dept_slugs)]]
        pos, pos_en = POSITIONS[i % len(POSITIONS)]
        person, _ = Person.objects.get_or_create(
            slug=slug,
            defaults={
                "role": Person.Role.RESEARCHER,
                "family_name": fam,
                "given_name": giv,
                "family_name_kana": fk,
                "given_name_kana": gk,
                "family_name_romaji": fr,
                "given_name_romaji": gr,
                "position": pos,
                "position_en": pos_en,
                "affiliation": dept.name,
                "affiliation_en": dept.name_en,
                "career": f"博士（{['工学', '医学', '理学', '農学', '経済学', '文学'][i % 6]}）。海外の研究機関を経て現職。",
                "career_en": "PhD. Joined after research posts abroad.",
                "message": "産業界の皆さまとの対話から新しい研究テーマが生まれることを期待しています。",
                "message_en": "I look forward to new research themes born from dialogue with industry.",
                "email": f"{slug}@kyoso-u.example.jp",
                "sort_order": 100 + i,
            },
        )
        researchers.append(person)
    return cms, researchers


def publish(page: Page) -> Page:
    page.save_revision().publish()
    return page


def child(parent: Page, model, slug: str, **fields) -> Page:
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing
    page = parent.add_child(instance=model(slug=slug, locale=parent.locale, **fields))
    return publish(page)


def translate(page: Page, locale, **fields) -> Page:
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    copy = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(copy, name, value)
    return publish(copy)


def text(html: str) -> list[tuple[str, str]]:
    return [("text", html)]


def ensure_organization(home_ja: HomePage, locales: dict) -> None:
    about = child(
        home_ja,
        OrganizationPage,
        "about",
        title="機構について",
        show_in_menus=True,
        lead="オープンイノベーション機構は、企業との組織対応型の大型共同研究を企画・推進し、その収入で自立的に運営される組織です。",
        body=[
            ("heading", "ミッション"),
            (
                "text",
                "<p>大学の研究シーズと企業の事業課題を結び、競争領域での億円規模の共同研究を年に複数件生み出します。"
                "国の目標である民間投資の3倍増（2014年度比）に貢献します。</p>",
            ),
            ("heading", "クリエイティブ・マネージャー"),
            (
                "text",
                "<p>統括クリエイティブ・マネージャー（統括CM）が企業のトップと対話し、研究者とともに研究計画を提案します。"
                "プロジェクト、知財、法務、財務、人事の各CMが契約から運営までを支えます。</p>",
            ),
        ],
    )
    translate(
        about,
        locales["en"],
        title="About the organization",
        lead="The Open Innovation Organization plans and runs large, organization-level joint research with companies and runs itself on that income.",
        body=[
            ("heading", "Mission"),
            (
                "text",
                "<p>We link the university's research seeds with companies' business challenges and create several joint "
                "research projects a year at the hundred-million-yen scale in the competitive domain, contributing to the national "
                "goal of tripling private investment in universities compared with fiscal 2014.</p>",
            ),
            ("heading", "Creative managers"),
            (
                "text",
                "<p>General creative managers talk with company leaders and propose research plans together with researchers. "
                "Project, IP, legal, finance and HR creative managers support everything from agreements to operations.</p>",
            ),
        ],
    )
    units_ja = [
        (1, "学長", "大学の最高責任者", ""),
        (2, "オープンイノベーション機構長", "機構の運営と戦略を統括", ""),
        (3, "統括クリエイティブ・マネージャー", "企業との対話と大型共同研究の企画", "general_cm"),
        (4, "プロジェクトCM", "コンソーシアム・プロジェクトの運営", "project_cm"),
        (4, "知財CM", "特許・ライセンス", "ip_cm"),
        (4, "法務CM", "契約・利益相反・安全保障貿易管理", "legal_cm"),
        (4, "財務CM", "研究費の積算・請求・収入管理", "finance_cm"),
        (4, "人事CM", "クロスアポイントメント・人材", "hr_cm"),
        (3, "プロジェクト部門", "共同研究プロジェクトの実施", ""),
        (4, "ライフサイエンス部門", "", ""),
        (4, "マテリアル・ものづくり部門", "", ""),
        (4, "情報・AI部門", "", ""),
    ]
    units_en = [
        (1, "President", "Head of the university", ""),
        (2, "Director, Open Innovation Organization", "Runs the organization and its strategy", ""),
        (3, "General Creative Managers", "Dialogue with companies; planning large joint research", "general_cm"),
        (4, "Project CMs", "Running consortia and projects", "project_cm"),
        (4, "IP CMs", "Patents and licensing", "ip_cm"),
        (4, "Legal CMs", "Agreements, conflict of interest, export control", "legal_cm"),
        (4, "Finance CMs", "Cost estimates, invoicing, income", "finance_cm"),
        (4, "HR CMs", "Cross appointments and people", "hr_cm"),
        (3, "Project departments", "Carrying out joint research projects", ""),
        (4, "Life science department", "", ""),
        (4, "Materials and manufacturing department", "", ""),
        (4, "Information and AI department", "", ""),
    ]

    def units(rows):
        return [("unit", {"level": lv, "name": n, "description": d, "role": r}) for lv, n, d, r in rows]

    structure = child(
        about,
        StructurePage,
        "structure",
        title="組織体制",
        lead="学長のもと、機構長と統括CMが専門CMとプロジェクト部門を率います。",
        units=units(units_ja),
    )
    translate(
        structure,
        locales["en"],
        title="Structure",
        lead="Under the president, the director and the general CMs lead the specialist CMs and the project departments.",
        units=units(units_en),
    )
    costs = child(
        about,
        CostRulesPage,
        "cost-rules",
        title="共同研究の費用",
        lead="共同研究の経費は、直接経費に間接経費（直接経費の30%）を加えて積算します。",
        body=text(
            "<p>研究者の人件費は、研究に従事する時間に時間単価を乗じて積算します。詳しくは財務CMにご相談ください。</p>"
        ),
    )
    translate(
        costs,
        locales["en"],
        title="Costs of joint research",
        lead="Joint research is costed as direct costs plus indirect costs of 30% of the direct costs.",
        body=text(
            "<p>Researcher personnel cost is the hours spent on the research times an hourly rate. Our finance CMs will help you estimate.</p>"
        ),
    )
    contact = child(
        about,
        ContactPage,
        "contact",
        title="お問い合わせ",
        lead="共同研究・会員制度に関するご相談はこちらへ。",
        address="〒980-0000 宮城県仙台市青葉区共創1-1（架空）\n共創大学 オープンイノベーション機構",
        phone="022-000-0000",
        email="oi@kyoso.example.jp",
        hours="平日 9:00〜17:00",
    )
    translate(
        contact,
        locales["en"],
        title="Contact",
        lead="Questions about joint research or membership are welcome.",
        address="Open Innovation Organization, Kyoso University (fictional)\n1-1 Kyoso, Aoba-ku, Sendai, Miyagi 980-0000, Japan",
        hours="Weekdays 9:00–17:00 (JST)",
    )
    purposes_ja = [
        (
            "お問い合わせ・シーズへのご質問（会社名、氏名、メールアドレス、電話番号、内容）",
            "ご質問への回答、担当クリエイティブ・マネージャーからのご連絡、共同研究のご提案のため",
        ),
        ("イベント参加登録（氏名、所属、メールアドレス）", "参加受付、当日の運営、関連イベントのご案内のため"),
        ("法人会員の担当者情報", "会員サービスの提供、請求、会員向け情報のお知らせのため"),
    ]
    purposes_en = [
        (
            "Inquiries and questions about seeds (company, name, e-mail, phone, message)",
            "To answer you, for the responsible creative manager to contact you, and to propose joint research",
        ),
        (
            "Event registrations (name, affiliation, e-mail)",
            "To accept your registration, run the event and tell you about related events",
        ),
        ("Contact persons of corporate members", "To provide member services, invoice, and send members' information"),
    ]
    privacy = child(
        about,
        PrivacyPolicyPage,
        "privacy",
        title="個人情報の取扱い",
        lead="<p>本機構は、個人情報の保護に関する法律（個人情報保護法）に基づき、取得した個人情報を以下の利用目的の範囲内で取り扱います。</p>",
        purposes=[("purpose", {"data": d, "purpose": p}) for d, p in purposes_ja],
        body=[
            ("heading", "第三者提供"),
            ("text", "<p>法令に基づく場合を除き、ご本人の同意なく第三者に提供しません。</p>"),
            ("heading", "開示・訂正・削除のご請求"),
            ("text", "<p>保有個人データの開示、訂正、利用停止、削除のご請求はお問い合わせ窓口で承ります。</p>"),
        ],
        last_updated=datetime.date(2026, 4, 1),
    )
    translate(
        privacy,
        locales["en"],
        title="Privacy policy",
        lead="<p>Under Japan's Act on the Protection of Personal Information (APPI), we handle the personal data we collect only within the purposes of use below.</p>",
        purposes=[("purpose", {"data": d, "purpose": p}) for d, p in purposes_en],
        body=[
            ("heading", "Provision to third parties"),
            (
                "text",
                "<p>We do not provide personal data to third parties without your consent except as required by law.</p>",
            ),
            ("heading", "Requests for disclosure, correction or deletion"),
            (
                "text",
                "<p>Please ask our contact desk to disclose, correct, stop using or delete the personal data we hold about you.</p>",
            ),
        ],
    )


def seed_body(ja: bool, title: str, summary: str, i: int, figure: tuple[Image, FigureText] | None = None) -> list:
    if ja:
        blocks = [
            ("heading", "概要"),
            ("text", f"<p>{summary}本研究は{title}に関するもので、企業との共同研究により実用化を目指します。</p>"),
            ("heading", "想定される用途"),
            ("text", "<ul><li>既存製品の性能向上</li><li>新規事業の創出</li><li>製造工程のコスト削減</li></ul>"),
        ]
        header, rows = (
            ["項目", "現状", "目標"],
            [["性能", "従来比1.5倍", "従来比3倍"], ["コスト", "試作段階", "量産で半減"]],
        )
    else:
        blocks = [
            ("heading", "Overview"),
            (
                "text",
                f"<p>{summary} This research on {title.lower()} aims at practical use through joint research with companies.</p>",
            ),
            ("heading", "Possible applications"),
            (
                "text",
                "<ul><li>Better performance of existing products</li><li>New businesses</li><li>Lower manufacturing costs</li></ul>",
            ),
        ]
        header, rows = (
            ["Item", "Now", "Target"],
            [["Performance", "1.5× conventional", "3× conventional"], ["Cost", "Prototype", "Half in mass production"]],
        )
    if figure is not None:
        image, words = figure
        caption, alt = (words.caption_ja, words.alt_ja) if ja else (words.caption_en, words.alt_en)
        blocks.insert(2, ("image", {"image": image, "alt": alt, "caption": caption}))
    if i % 3 == 0:
        blocks.append(
            (
                "table",
                {
                    "data": [header, *rows],
                    "first_row_is_table_header": True,
                    "first_col_is_header": True,
                    "table_caption": "",
                },
            )
        )
    return blocks


def ensure_seeds(home_ja: HomePage, locales: dict, cms: list[Person], researchers: list[Person]) -> list[SeedPage]:
    index = child(
        home_ja,
        SeedIndexPage,
        "seeds",
        title="研究シーズ",
        show_in_menus=True,
        intro="共創大学の研究者が企業との共同研究を求めている技術シーズです。分野・部局・段階で絞り込めます。",
    )
    translate(
        index,
        locales["en"],
        title="Research seeds",
        intro="Technologies whose researchers at Kyoso University seek joint research with companies. Filter by field, department and stage.",
    )
    fields = {f.slug: f for f in ResearchField.objects.all()}
    departments = {d.slug: d for d in Department.objects.all()}
    general_cms = [p for p in cms if p.role == "general_cm"]
    seeds: list[SeedPage] = []
    now = timezone.now()
    n = 0
    for field_slug, topics in TOPICS.items():
        for k, (dept, ja_title, en_title, ja_sum, en_sum, ja_kw, en_kw) in enumerate(topics):
            n += 1
            slug = f"{field_slug}-{k + 1:02d}"
            existing = SeedPage.objects.filter(locale=locales["ja"], slug=slug).first()
            if existing is not None:
                seeds.append(existing)
                continue
            collabs = {COLLABS[n % 5], COLLABS[(n * 2 + 1) % 5]}
            figure = None
            if n % 3 == 1:  # one seed in three shows a figure
                kind = figure_kind(slug)
                figure = (
                    ensure_seed_figure(key=slug, kind=kind, title_ja=ja_title, title_en=en_title),
                    figure_text(kind=kind, title_ja=ja_title, title_en=en_title),
                )
            page = SeedPage(
                slug=slug,
                locale=locales["ja"],
                title=ja_title,
                summary=ja_sum,
                body=seed_body(True, ja_title, ja_sum, n, figure),
                department=departments[dept],
                keywords=ja_kw,
                stage=STAGES[n % 3],
                trl=2 + n % 7,
                contact_cm=general_cms[n % len(general_cms)] if n % 4 else cms[2 + n % (len(cms) - 2)],
                intellectual_property=[
                    (
                        "patent",
                        {
                            "number": f"特願2025-{100000 + n * 137}",
                            "title": ja_title,
                            "status": ["applied", "registered", "pct", "licensed"][n % 4],
                        },
                    )
                ]
                if n % 2
                else [],
                members_detail=f"<p>【会員限定】試作データ、今後3年間の研究計画、想定する共同研究費（年間{2 + n % 5}千万円規模）と体制案。</p>",
                **{f"collab_{c}": True for c in collabs},
            )
            index.add_child(instance=page)
            page.research_fields.set(
                [fields[field_slug]]
                + ([fields["information-ai"]] if n % 7 == 0 and field_slug != "information-ai" else [])
            )
            page.researchers.set(
                [researchers[n % len(researchers)]] + ([researchers[(n + 5) % len(researchers)]] if n % 3 == 0 else [])
            )
            publish(page)
            SeedPage.objects.filter(pk=page.pk).update(first_published_at=now - datetime.timedelta(days=n * 3))
            page.refresh_from_db()
            translate(
                page,
                locales["en"],
                title=en_title,
                summary=en_sum,
                body=seed_body(False, en_title, en_sum, n, figure),
                keywords=en_kw,
                intellectual_property=[
                    (
                        "patent",
                        {
                            "number": f"JP 2025-{100000 + n * 137}",
                            "title": en_title,
                            "status": ["applied", "registered", "pct", "licensed"][n % 4],
                        },
                    )
                ]
                if n % 2
                else [],
                members_detail=f"<p>[Members only] Prototype data, the research plan for the next three years, and the expected joint research budget (about {2 + n % 5}0 million yen a year).</p>",
            )
            en = page.get_translation(locales["en"])
            SeedPage.objects.filter(pk=en.pk).update(first_published_at=now - datetime.timedelta(days=n * 3))
            seeds.append(page)
    # Related seeds: neighbours in the same field. (Parental many-to-many
    # links are saved with the page, hence the publish.)
    for i, seed in enumerate(seeds):
        if seed.related_seeds.exists():
            continue
        family = seed.slug.rsplit("-", 1)[0]
        related = [s for s in seeds[max(0, i - 2) : i + 3] if s.pk != seed.pk and s.slug.rsplit("-", 1)[0] == family][
            :3
        ]
        for page in [seed, *(t.specific for t in seed.get_translations())]:
            page.related_seeds.set(related)
            publish(page)
    return seeds


def ensure_membership_guide(home_ja: HomePage, locales: dict) -> None:
    about = OrganizationPage.objects.child_of(home_ja).get(slug="about")
    guide = child(
        about,
        MembershipGuidePage,
        "membership",
        title="法人会員制度",
        lead="法人会員は、研究シーズの詳細情報の閲覧、コンソーシアムへの参加、会員限定の資料・イベントを利用できます。",
        how_to_join=(
            "<ol><li>アカウントを作成し、メールアドレスを確認します。</li>"
            "<li>法人情報（法人番号、請求先）を登録します。</li>"
            "<li>会員種別を選び、会員規約に同意して申し込みます。</li>"
            "<li>機構が審査（利益相反、海外法人は安全保障輸出管理）を行い、結果をメールでお知らせします。</li>"
            "<li>承認後にお送りする請求書のお支払いを確認した日から、会員資格が有効になります。</li></ol>"
        ),
    )
    translate(
        guide,
        locales["en"],
        title="Corporate membership",
        lead="Corporate members read the full detail of research seeds, join consortia, and use members-only materials and events.",
        how_to_join=(
            "<ol><li>Create an account and confirm your e-mail address.</li>"
            "<li>Register your organization (corporate number, billing contact).</li>"
            "<li>Choose a tier, accept the membership terms and apply.</li>"
            "<li>We screen the application (conflicts of interest, and export control for organizations abroad) and e-mail you the decision.</li>"
            "<li>The membership takes effect when the invoice sent after approval is paid.</li></ol>"
        ),
    )


def ensure_people_index(home_ja: HomePage, locales: dict) -> None:
    people = child(
        home_ja,
        PeopleIndexPage,
        "people",
        title="人と組織",
        show_in_menus=True,
        intro="共同研究を企画・推進するクリエイティブ・マネージャーと、シーズを持つ研究者を紹介します。",
    )
    translate(
        people,
        locales["en"],
        title="People",
        intro="The creative managers who plan and run joint research, and the researchers behind the seeds.",
    )


def ensure_home_content(home_ja: HomePage, locales: dict, seeds: list[SeedPage]) -> None:
    if not home_ja.cta_heading:
        home_ja.cta_heading = "法人会員になりませんか"
        home_ja.cta_text = (
            "会員企業は、シーズの詳細情報の閲覧、コンソーシアムへの参加、会員限定資料のダウンロードができます。"
        )
        home_ja.cta_label = "会員制度について"
        publish(home_ja)
    en = home_ja.get_translation(locales["en"]).specific
    if not en.cta_heading:
        en.cta_heading = "Become a corporate member"
        en.cta_text = (
            "Member companies read the full detail of seeds, join consortia and download members-only materials."
        )
        en.cta_label = "About membership"
        publish(en)
    if not home_ja.featured_seeds.exists():
        for order, seed in enumerate(seeds[::11][:6]):
            HomeFeaturedSeed.objects.create(page=home_ja, seed=seed, sort_order=order)


def load(stdout) -> None:
    locales = ensure_locales()
    home_ja = ensure_home()
    ensure_taxonomies()
    cms, researchers = ensure_people()
    portraits = ensure_portraits([*cms, *researchers])
    ensure_organization(home_ja, locales)
    ensure_membership_guide(home_ja, locales)
    ensure_people_index(home_ja, locales)
    seeds = ensure_seeds(home_ja, locales, cms, researchers)
    ensure_home_content(home_ja, locales, seeds)
    stdout.write(
        f"public site: {len(seeds)} seeds × 2 languages, {len(cms)} CMs, {len(researchers)} researchers ({portraits} new portraits), organization pages"
    )

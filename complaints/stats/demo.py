"""Realistic synthetic complaints for demonstrations and benchmarks, written in bulk.

`generate(count, seed)` writes complaints in all 16 languages (narratives in each language, made of
short sentences about what each category covers), every category, component, status and
disposition, over the three years before today, with categories, components and an audit trail
(`filed`, `routed`, a `transition` per status change; actor `system:demo`) in bulk inserts.
Routing is the real one (`complaints.domain.routing.route`), so section, priority, restriction,
flags and reasons are what filing would have given; timelines follow the workflow table.

Deterministic: the same seed gives the same complaints (receipts included), relative to the day
it runs (times are counted back from midnight UTC today; ids follow whatever is already stored).
Every demo complaint shares one access code, made when the command runs and printed then; only
its argon2 hash is stored. Demo rows get no narrative signatures, so new filings are not matched
against demo narratives as possible duplicates. With `count >= 24`, every language, category,
component, status and disposition is present (the last 24 rows make sure of it).

Fast: rows are plain tuples already in the form the database stores (JSON written once per
routing outcome), written per batch with one DB-API `executemany` per table on SQLite and one
`COPY` per table on PostgreSQL, one transaction per batch; SQLAlchemy's per-value processing
cost more than SQLite's own work. On SQLite, the full-text search trigger (migration 0003) is
set aside inside each batch's transaction and its tables filled with one `INSERT ... SELECT`,
then the trigger is put back from its own SQL: a failure rolls all of it back. On an empty
database, the next batch is built in a thread while the database writes the current one.
"""

from __future__ import annotations

import bisect
import json
import math
import operator
import queue
import random
import re
import threading
import time as clock
from collections import deque
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select, text

from complaints.domain import receipts
from complaints.domain.routing import Facts, route
from complaints.domain.search_text import document as search_document
from complaints.domain.taxonomy import (
    CATEGORY_CODES,
    COMPONENT_CODES,
    DISPOSITION_CODES,
    PRIORITY_RANK,
    STATUS_CODES,
)
from complaints.domain.workflow import TRANSITIONS
from complaints.extensions import db
from complaints.i18n import LOCALE_CODES
from complaints.models import Complaint
from complaints.services import access_codes

ACTOR = "system:demo"
YEARS = 3
DEFAULT_BATCH = 5000
COVERAGE_ROWS = 24  # the last rows of a run cover every language, category, component, status

# -- weights ---------------------------------------------------------------------------------------

LANGUAGE_WEIGHTS = {
    "en": 50, "es": 28, "zh_Hans": 2.5, "zh_Hant": 1, "vi": 2, "ko": 1.2, "tl": 1.5, "ar": 2.5,
    "ht": 2.5, "fr": 2, "pt": 2, "ru": 1.5, "so": 1, "uk": 1.2, "fa_AF": 1, "ps": 0.6,
}
CATEGORY_WEIGHTS = {
    "profiling": 11, "detention_conditions": 18, "medical_care": 12, "use_of_force": 9,
    "sexual_abuse": 2, "due_process": 10, "verification_misuse": 5, "language_access": 7,
    "disability_access": 3, "retaliation": 4, "victim_protection": 2, "travel_screening": 7,
    "state_local_enforcement": 5, "other": 5,
}
CHANNEL_WEIGHTS = {"web": 76, "api": 12, "mail": 5, "email": 4, "phone": 2, "fax": 1}
STATE_WEIGHTS = {
    "TX": 18, "CA": 16, "AZ": 8, "FL": 8, "NY": 7, "NJ": 4, "IL": 4, "GA": 4, "LA": 3, "NM": 3,
    "WA": 3, "MA": 2, "PA": 2, "VA": 2, "MD": 2, "NC": 2, "CO": 2, "NV": 2, "MI": 1.5, "OH": 1.5,
    "MN": 1, "OR": 1, "UT": 1, "PR": 1, "DC": 1, "TN": 1, "AL": 0.8, "SC": 0.8, "OK": 0.6,
    "KS": 0.5, "NE": 0.5, "IA": 0.4, "WI": 0.6, "IN": 0.6, "MO": 0.6, "KY": 0.4, "AR": 0.4,
    "MS": 0.4, "CT": 0.6, "RI": 0.3, "DE": 0.3, "NH": 0.2, "VT": 0.2, "ME": 0.3, "ID": 0.4,
    "MT": 0.2, "WY": 0.1, "ND": 0.2, "SD": 0.2, "WV": 0.1, "AK": 0.2, "HI": 0.4, "GU": 0.2,
    "VI": 0.1, "MP": 0.1, "AS": 0.05,
}
CITIES = {
    "TX": ("Houston", "El Paso", "San Antonio", "Dallas", "Laredo"),
    "CA": ("Los Angeles", "San Diego", "Adelanto", "Sacramento", "Fresno"),
    "AZ": ("Phoenix", "Tucson", "Eloy", "Nogales"), "FL": ("Miami", "Orlando", "Tampa"),
    "NY": ("New York", "Buffalo", "Batavia"), "NJ": ("Newark", "Elizabeth", "Paterson"),
    "IL": ("Chicago", "Aurora"), "GA": ("Atlanta", "Lumpkin"), "LA": ("New Orleans", "Jena"),
    "NM": ("Albuquerque", "Las Cruces"), "WA": ("Seattle", "Tacoma"), "MA": ("Boston",),
}
COUNTRIES_ABROAD = ("Mexico", "Canada", "Guatemala", "Dominican Republic", "Philippines")
FACILITIES = (
    "Harbor Point Processing Center", "Desert Springs Detention Facility",
    "North River County Jail", "Pine Valley Service Processing Center",
    "Lakeside Contract Detention Facility", "Mesa Ridge Family Residential Center",
)
# Components usually involved, by primary category.
CATEGORY_COMPONENTS = {
    "profiling": ("CBP", "TSA", "STATE_LOCAL", "ICE"),
    "detention_conditions": ("ICE", "CONTRACTOR", "CONTRACTOR", "ICE", "CBP"),
    "medical_care": ("ICE", "CONTRACTOR", "CBP"),
    "use_of_force": ("CBP", "ICE", "STATE_LOCAL", "CONTRACTOR"),
    "sexual_abuse": ("ICE", "CONTRACTOR", "CBP"),
    "due_process": ("ICE", "STATE_LOCAL", "CBP"),
    "verification_misuse": ("USCIS", "OTHER_DHS", "UNKNOWN"),
    "language_access": ("ICE", "CBP", "USCIS", "FEMA", "TSA"),
    "disability_access": ("TSA", "FEMA", "CBP", "ICE"),
    "retaliation": ("ICE", "CONTRACTOR", "STATE_LOCAL"),
    "victim_protection": ("USCIS", "ICE"),
    "travel_screening": ("TSA", "CBP"),
    "state_local_enforcement": ("STATE_LOCAL", "ICE"),
    "other": ("FEMA", "USCG", "USSS", "FLETC", "OTHER_DHS", "UNKNOWN"),
}
RELATED_CATEGORIES = {
    "profiling": ("language_access", "travel_screening", "retaliation"),
    "detention_conditions": ("medical_care", "language_access", "retaliation",
                             "disability_access"),
    "medical_care": ("detention_conditions", "disability_access", "language_access"),
    "use_of_force": ("profiling", "retaliation", "medical_care"),
    "sexual_abuse": ("use_of_force", "retaliation", "detention_conditions"),
    "due_process": ("language_access", "state_local_enforcement", "detention_conditions"),
    "verification_misuse": ("profiling", "retaliation"),
    "language_access": ("due_process", "profiling"),
    "disability_access": ("medical_care", "language_access"),
    "retaliation": ("detention_conditions", "use_of_force"),
    "victim_protection": ("due_process", "retaliation"),
    "travel_screening": ("profiling", "language_access"),
    "state_local_enforcement": ("due_process", "profiling"),
    "other": ("language_access", "disability_access"),
}
DETAINED_SHARE = {
    "detention_conditions": 0.75, "medical_care": 0.7, "due_process": 0.6, "sexual_abuse": 0.6,
    "retaliation": 0.4, "state_local_enforcement": 0.4, "use_of_force": 0.3,
    "language_access": 0.2, "disability_access": 0.15,
}
# Workflow: where a complaint goes next from each status, and how long it stays (median days).
NEXT_WEIGHTS: dict[str, dict[str, float]] = {
    "received": {"intake_review": 94, "closed": 6},
    "intake_review": {"awaiting_information": 18, "referred_oig": 4, "referred_component": 30,
                      "investigating": 14, "closed": 34},
    "awaiting_information": {"intake_review": 55, "closed": 45},
    "referred_oig": {"intake_review": 45, "closed": 55},
    "referred_component": {"investigating": 15, "recommendations": 15, "closed": 70},
    "investigating": {"recommendations": 45, "closed": 55},
    "recommendations": {"closed": 100},
    "closed": {"intake_review": 2, "": 98},  # "" = stays closed
}
STAY_DAYS = {
    "received": 6.0, "intake_review": 14.0, "awaiting_information": 25.0, "referred_oig": 40.0,
    "referred_component": 110.0, "investigating": 160.0, "recommendations": 140.0,
    "closed": 90.0,
}
CLOSING_DISPOSITIONS: dict[str, dict[str, float]] = {
    "received": {"withdrawn": 40, "duplicate": 40, "insufficient_information": 20},
    "intake_review": {"no_jurisdiction_referred_out": 35, "insufficient_information": 25,
                      "withdrawn": 15, "duplicate": 10, "unsubstantiated": 15},
    "awaiting_information": {"insufficient_information": 70, "withdrawn": 30},
    "referred_oig": {"referred_to_oig": 100},
    "referred_component": {"resolved_by_component": 55, "unsubstantiated": 35,
                           "insufficient_information": 10},
    "investigating": {"unsubstantiated": 45, "resolved_by_component": 30,
                      "insufficient_information": 15, "withdrawn": 10},
    "recommendations": {"recommendations_issued": 100},
}


def _check_workflow() -> None:
    """Every move the generator makes is one the workflow allows."""
    for source, targets in NEXT_WEIGHTS.items():
        for target in targets:
            if target and target not in TRANSITIONS[source]:
                raise AssertionError(f"demo data would move {source} -> {target}")
    for path in (*STATUS_PATHS.values(), *DISPOSITION_PATHS.values()):
        status = "received"
        for target in path:
            if target not in TRANSITIONS[status]:
                raise AssertionError(f"demo path {path} breaks the workflow")
            status = target


# Paths that end in each status or disposition, used by the coverage rows.
STATUS_PATHS: dict[str, tuple[str, ...]] = {
    "received": (), "intake_review": ("intake_review",),
    "awaiting_information": ("intake_review", "awaiting_information"),
    "referred_oig": ("intake_review", "referred_oig"),
    "referred_component": ("intake_review", "referred_component"),
    "investigating": ("intake_review", "investigating"),
    "recommendations": ("intake_review", "investigating", "recommendations"),
}
DISPOSITION_PATHS: dict[str, tuple[str, ...]] = {
    "recommendations_issued": ("intake_review", "investigating", "recommendations", "closed"),
    "resolved_by_component": ("intake_review", "referred_component", "closed"),
    "unsubstantiated": ("intake_review", "investigating", "closed"),
    "insufficient_information": ("intake_review", "awaiting_information", "closed"),
    "referred_to_oig": ("intake_review", "referred_oig", "closed"),
    "no_jurisdiction_referred_out": ("intake_review", "closed"),
    "withdrawn": ("closed",),
    "duplicate": ("closed",),
}

# -- narratives ------------------------------------------------------------------------------------

# One sentence per category and four general ones ({n} is a number of days), in each language.
SENTENCES: dict[str, dict[str, str]] = {
    "en": {
        "profiling": "The officer singled me out because of my accent and my headscarf, and let "
                     "everyone else pass.",
        "detention_conditions": "In the detention center there was no clean drinking water in "
                                "our unit and the toilets were broken.",
        "medical_care": "I asked many times to see a doctor for my diabetes medicine, but the "
                        "staff never took me.",
        "use_of_force": "An officer pushed me against the wall and twisted my arm while I was "
                        "handcuffed.",
        "sexual_abuse": "A guard made sexual comments and touched me during a search, and I am "
                        "afraid to report it inside.",
        "due_process": "I was held without being told why and they did not let me call a "
                       "lawyer.",
        "verification_misuse": "My employer said E-Verify showed a mismatch and fired me without "
                               "letting me fix it.",
        "language_access": "I asked for an interpreter in my language, but the officers kept "
                           "speaking only English.",
        "disability_access": "They took away my wheelchair and nobody helped me get to the "
                             "bathroom.",
        "retaliation": "After I complained about the food, they moved me to isolation and took "
                       "away my phone time.",
        "victim_protection": "Information from my U visa case was shared with the man who hurt "
                             "me.",
        "travel_screening": "At the airport I am always sent to secondary screening and "
                            "questioned about my religion.",
        "state_local_enforcement": "The county jail kept me two more days for immigration after "
                                   "the judge released me.",
        "other": "A DHS office refused to accept my documents and nobody explained the reason.",
        "g1": "This went on for {n} days.",
        "g2": "I asked for help several times but nobody answered.",
        "g3": "Other people in the same place had the same problem.",
        "g4": "I want someone to look into this so it does not happen again.",
    },
    "es": {
        "profiling": "El oficial me apartó por mi acento y mi velo, y dejó pasar a todos los "
                     "demás.",
        "detention_conditions": "En el centro de detención no había agua potable limpia en "
                                "nuestra unidad y los baños estaban rotos.",
        "medical_care": "Pedí muchas veces ver a un médico por mi medicina para la diabetes, "
                        "pero el personal nunca me llevó.",
        "use_of_force": "Un oficial me empujó contra la pared y me torció el brazo mientras "
                        "estaba esposado.",
        "sexual_abuse": "Un guardia hizo comentarios sexuales y me tocó durante una revisión, y "
                        "tengo miedo de denunciarlo adentro.",
        "due_process": "Me detuvieron sin decirme por qué y no me dejaron llamar a un abogado.",
        "verification_misuse": "Mi empleador dijo que E-Verify mostraba un error y me despidió "
                               "sin dejarme corregirlo.",
        "language_access": "Pedí un intérprete en mi idioma, pero los oficiales siguieron "
                           "hablando solo en inglés.",
        "disability_access": "Me quitaron la silla de ruedas y nadie me ayudó a llegar al baño.",
        "retaliation": "Después de quejarme de la comida, me pusieron en aislamiento y me "
                       "quitaron las llamadas.",
        "victim_protection": "La información de mi caso de visa U fue compartida con el hombre "
                             "que me hizo daño.",
        "travel_screening": "En el aeropuerto siempre me mandan a una segunda revisión y me "
                            "preguntan por mi religión.",
        "state_local_enforcement": "La cárcel del condado me retuvo dos días más para "
                                   "inmigración después de que el juez me liberó.",
        "other": "Una oficina del DHS se negó a aceptar mis documentos y nadie me explicó la "
                 "razón.",
        "g1": "Esto duró {n} días.",
        "g2": "Pedí ayuda varias veces pero nadie respondió.",
        "g3": "Otras personas en el mismo lugar tuvieron el mismo problema.",
        "g4": "Quiero que alguien investigue esto para que no vuelva a pasar.",
    },
    "zh_Hans": {
        "profiling": "警官因为我的口音和头巾把我单独拦下，其他人都直接放行了。",
        "detention_conditions": "在拘留中心，我们的监区没有干净的饮用水，厕所也坏了。",
        "medical_care": "我多次要求看医生拿糖尿病的药，但工作人员从来没有带我去。",
        "use_of_force": "我戴着手铐的时候，一名警官把我推到墙上并扭我的胳膊。",
        "sexual_abuse": "一名看守在搜身时说了带性意味的话并触摸我，我不敢在里面举报。",
        "due_process": "他们把我关押起来却不告诉我原因，也不让我给律师打电话。",
        "verification_misuse": "我的雇主说 E-Verify 显示信息不符，没让我更正就把我解雇了。",
        "language_access": "我要求提供我母语的翻译，但警官一直只说英语。",
        "disability_access": "他们拿走了我的轮椅，没有人帮我去洗手间。",
        "retaliation": "我投诉伙食之后，他们把我关进隔离室，还取消了我的通话时间。",
        "victim_protection": "我的 U 签证案件信息被透露给了伤害我的那个人。",
        "travel_screening": "在机场我总是被送去二次安检，并被问到我的宗教信仰。",
        "state_local_enforcement": "法官释放我之后，县监狱为了移民局又把我多关了两天。",
        "other": "国土安全部的一个办公室拒绝接收我的文件，也没有人解释原因。",
        "g1": "这种情况持续了{n}天。",
        "g2": "我多次请求帮助，但没有人回应。",
        "g3": "同一个地方的其他人也遇到了同样的问题。",
        "g4": "我希望有人调查这件事，不要再发生。",
    },
    "zh_Hant": {
        "profiling": "警官因為我的口音和頭巾把我單獨攔下，其他人都直接放行了。",
        "detention_conditions": "在拘留中心，我們的監區沒有乾淨的飲用水，廁所也壞了。",
        "medical_care": "我多次要求看醫生拿糖尿病的藥，但工作人員從來沒有帶我去。",
        "use_of_force": "我戴著手銬的時候，一名警官把我推到牆上並扭我的手臂。",
        "sexual_abuse": "一名看守在搜身時說了帶性意味的話並觸摸我，我不敢在裡面舉報。",
        "due_process": "他們把我關押起來卻不告訴我原因，也不讓我打電話給律師。",
        "verification_misuse": "我的雇主說 E-Verify 顯示資料不符，沒讓我更正就把我解僱了。",
        "language_access": "我要求提供我母語的翻譯，但警官一直只說英語。",
        "disability_access": "他們拿走了我的輪椅，沒有人幫我去洗手間。",
        "retaliation": "我投訴伙食之後，他們把我關進隔離室，還取消了我的通話時間。",
        "victim_protection": "我的 U 簽證案件資料被透露給了傷害我的那個人。",
        "travel_screening": "在機場我總是被送去二次安檢，並被問到我的宗教信仰。",
        "state_local_enforcement": "法官釋放我之後，縣監獄為了移民局又把我多關了兩天。",
        "other": "國土安全部的一個辦公室拒絕接收我的文件，也沒有人解釋原因。",
        "g1": "這種情況持續了{n}天。",
        "g2": "我多次請求幫助，但沒有人回應。",
        "g3": "同一個地方的其他人也遇到了同樣的問題。",
        "g4": "我希望有人調查這件事，不要再發生。",
    },
    "vi": {
        "profiling": "Viên chức chặn riêng tôi lại vì giọng nói và khăn trùm đầu của tôi, còn "
                     "những người khác thì được đi qua.",
        "detention_conditions": "Trong trung tâm giam giữ, khu của chúng tôi không có nước uống "
                                "sạch và nhà vệ sinh bị hỏng.",
        "medical_care": "Tôi đã xin nhiều lần được gặp bác sĩ để lấy thuốc tiểu đường, nhưng "
                        "nhân viên không bao giờ đưa tôi đi.",
        "use_of_force": "Một viên chức đẩy tôi vào tường và vặn tay tôi trong lúc tôi bị còng "
                        "tay.",
        "sexual_abuse": "Một lính canh nói những lời lẽ tình dục và sờ vào người tôi khi khám "
                        "xét, và tôi sợ không dám báo cáo bên trong.",
        "due_process": "Tôi bị giam mà không được cho biết lý do và họ không cho tôi gọi luật "
                       "sư.",
        "verification_misuse": "Chủ của tôi nói E-Verify cho thấy thông tin không khớp và đuổi "
                               "việc tôi mà không cho tôi sửa lại.",
        "language_access": "Tôi xin một thông dịch viên nói tiếng của tôi, nhưng các viên chức "
                           "chỉ tiếp tục nói tiếng Anh.",
        "disability_access": "Họ lấy đi xe lăn của tôi và không ai giúp tôi đi vệ sinh.",
        "retaliation": "Sau khi tôi khiếu nại về thức ăn, họ đưa tôi vào phòng biệt giam và cắt "
                       "giờ gọi điện thoại của tôi.",
        "victim_protection": "Thông tin trong hồ sơ visa U của tôi đã bị chia sẻ cho người đàn "
                             "ông đã làm hại tôi.",
        "travel_screening": "Ở sân bay tôi luôn bị đưa đi kiểm tra lần hai và bị hỏi về tôn "
                            "giáo của mình.",
        "state_local_enforcement": "Nhà tù quận giữ tôi thêm hai ngày cho sở di trú sau khi "
                                   "thẩm phán đã thả tôi.",
        "other": "Một văn phòng của Bộ An ninh Nội địa từ chối nhận giấy tờ của tôi và không ai "
                 "giải thích lý do.",
        "g1": "Việc này kéo dài {n} ngày.",
        "g2": "Tôi đã xin giúp đỡ nhiều lần nhưng không ai trả lời.",
        "g3": "Những người khác ở cùng nơi cũng gặp vấn đề giống như vậy.",
        "g4": "Tôi muốn có người điều tra việc này để nó không xảy ra nữa.",
    },
    "ko": {
        "profiling": "경찰관이 제 억양과 히잡 때문에 저만 따로 불러 세우고 다른 사람들은 모두 "
                     "통과시켰습니다.",
        "detention_conditions": "구금 시설의 저희 구역에는 깨끗한 식수가 없었고 화장실도 고장 나 "
                                "있었습니다.",
        "medical_care": "당뇨병 약 때문에 의사를 만나게 해 달라고 여러 번 요청했지만 직원들은 한 "
                        "번도 데려가지 않았습니다.",
        "use_of_force": "수갑을 찬 상태에서 한 경찰관이 저를 벽에 밀치고 팔을 비틀었습니다.",
        "sexual_abuse": "몸수색 중에 한 교도관이 성적인 말을 하고 저를 만졌는데, 안에서는 "
                        "신고하기가 두렵습니다.",
        "due_process": "이유도 듣지 못한 채 구금되었고 변호사에게 전화하는 것도 허락받지 "
                       "못했습니다.",
        "verification_misuse": "고용주가 E-Verify에서 정보가 일치하지 않는다며 바로잡을 기회도 "
                               "주지 않고 저를 해고했습니다.",
        "language_access": "제 언어로 통역을 요청했지만 경찰관들은 계속 영어로만 말했습니다.",
        "disability_access": "그들이 제 휠체어를 가져갔고 아무도 화장실 가는 것을 도와주지 "
                             "않았습니다.",
        "retaliation": "음식에 대해 불만을 제기한 뒤 저를 독방으로 옮기고 전화 시간을 "
                       "빼앗았습니다.",
        "victim_protection": "제 U 비자 사건 정보가 저를 해친 남자에게 공유되었습니다.",
        "travel_screening": "공항에서 저는 항상 2차 검색으로 보내지고 제 종교에 대해 질문을 "
                            "받습니다.",
        "state_local_enforcement": "판사가 석방한 뒤에도 카운티 교도소가 이민 당국을 위해 저를 "
                                   "이틀 더 가두었습니다.",
        "other": "국토안보부 사무소가 제 서류 접수를 거부했고 아무도 이유를 설명해 주지 "
                 "않았습니다.",
        "g1": "이런 일이 {n}일 동안 계속되었습니다.",
        "g2": "여러 번 도움을 요청했지만 아무도 답하지 않았습니다.",
        "g3": "같은 곳에 있던 다른 사람들도 같은 문제를 겪었습니다.",
        "g4": "다시는 이런 일이 없도록 누군가 조사해 주기를 바랍니다.",
    },
    "tl": {
        "profiling": "Ako lang ang pinahinto ng opisyal dahil sa aking punto at sa aking belo, "
                     "at pinadaan ang lahat ng iba.",
        "detention_conditions": "Sa detention center, walang malinis na inuming tubig sa aming "
                                "unit at sira ang mga palikuran.",
        "medical_care": "Ilang beses akong humiling na makita ang doktor para sa gamot ko sa "
                        "diabetes, pero hindi ako dinala ng mga tauhan.",
        "use_of_force": "Itinulak ako ng isang opisyal sa pader at pinilipit ang braso ko habang "
                        "nakaposas ako.",
        "sexual_abuse": "Isang guwardiya ang nagsalita ng mga sekswal na salita at hinawakan ako "
                        "habang kinakapkapan, at takot akong magsumbong sa loob.",
        "due_process": "Ikinulong ako nang hindi sinasabi kung bakit at hindi nila ako "
                       "pinayagang tumawag sa abogado.",
        "verification_misuse": "Sinabi ng employer ko na may hindi tugma sa E-Verify at "
                               "tinanggal ako nang hindi ako pinapayagang ayusin ito.",
        "language_access": "Humingi ako ng interpreter sa aking wika, pero patuloy na nagsalita "
                           "ng Ingles lang ang mga opisyal.",
        "disability_access": "Kinuha nila ang wheelchair ko at walang tumulong sa akin na "
                             "pumunta sa banyo.",
        "retaliation": "Matapos akong magreklamo tungkol sa pagkain, inilipat nila ako sa "
                       "isolation at inalis ang oras ko sa telepono.",
        "victim_protection": "Ang impormasyon mula sa kaso ko sa U visa ay ibinahagi sa lalaking "
                             "nanakit sa akin.",
        "travel_screening": "Sa paliparan, lagi akong ipinapadala sa pangalawang inspeksyon at "
                            "tinatanong tungkol sa aking relihiyon.",
        "state_local_enforcement": "Ikinulong pa ako ng kulungan ng county nang dalawang araw "
                                   "para sa imigrasyon matapos akong palayain ng hukom.",
        "other": "Tumanggi ang isang opisina ng DHS na tanggapin ang mga dokumento ko at walang "
                 "nagpaliwanag kung bakit.",
        "g1": "Nagpatuloy ito nang {n} araw.",
        "g2": "Ilang beses akong humingi ng tulong pero walang sumagot.",
        "g3": "Ang ibang tao sa parehong lugar ay nagkaroon ng parehong problema.",
        "g4": "Gusto kong may mag-imbestiga nito para hindi na ito maulit.",
    },
    "ar": {
        "profiling": "أوقفني الضابط وحدي بسبب لهجتي وحجابي، وترك جميع الآخرين يمرون.",
        "detention_conditions": "في مركز الاحتجاز لم تكن هناك مياه شرب نظيفة في وحدتنا وكانت "
                                "المراحيض معطلة.",
        "medical_care": "طلبت مرات عديدة أن أرى طبيباً من أجل دواء السكري، لكن الموظفين لم "
                        "يأخذوني أبداً.",
        "use_of_force": "دفعني أحد الضباط نحو الجدار ولوى ذراعي بينما كنت مكبل اليدين.",
        "sexual_abuse": "أدلى أحد الحراس بتعليقات جنسية ولمسني أثناء التفتيش، وأنا خائف من "
                        "الإبلاغ في الداخل.",
        "due_process": "احتُجزت دون أن يخبروني بالسبب ولم يسمحوا لي بالاتصال بمحامٍ.",
        "verification_misuse": "قال صاحب العمل إن نظام E-Verify أظهر عدم تطابق وفصلني دون أن "
                               "يسمح لي بتصحيح ذلك.",
        "language_access": "طلبت مترجماً بلغتي، لكن الضباط استمروا في التحدث بالإنجليزية فقط.",
        "disability_access": "أخذوا كرسيّ المتحرك ولم يساعدني أحد في الذهاب إلى الحمام.",
        "retaliation": "بعد أن اشتكيت من الطعام نقلوني إلى الحبس الانفرادي وحرموني من وقت "
                       "الهاتف.",
        "victim_protection": "تمت مشاركة معلومات من قضية تأشيرة U الخاصة بي مع الرجل الذي "
                             "آذاني.",
        "travel_screening": "في المطار يرسلونني دائماً إلى التفتيش الثانوي ويسألونني عن ديني.",
        "state_local_enforcement": "احتجزني سجن المقاطعة يومين إضافيين لصالح الهجرة بعد أن "
                                   "أفرج عني القاضي.",
        "other": "رفض مكتب تابع لوزارة الأمن الداخلي قبول مستنداتي ولم يشرح لي أحد السبب.",
        "g1": "استمر هذا لمدة {n} يوماً.",
        "g2": "طلبت المساعدة عدة مرات لكن لم يرد أحد.",
        "g3": "واجه أشخاص آخرون في المكان نفسه المشكلة ذاتها.",
        "g4": "أريد أن يحقق أحد في هذا الأمر حتى لا يتكرر.",
    },
    "ht": {
        "profiling": "Ofisye a te kanpe m pou kont mwen akoz aksan m ak mouchwa tèt mwen, epi li "
                     "kite tout lòt moun yo pase.",
        "detention_conditions": "Nan sant detansyon an pa t gen dlo pwòp pou bwè nan inite nou "
                                "an, e twalèt yo te kraze.",
        "medical_care": "Mwen te mande anpil fwa pou m wè yon doktè pou medikaman dyabèt mwen, "
                        "men anplwaye yo pa janm mennen m.",
        "use_of_force": "Yon ofisye te pouse m sou mi an epi li te tòde bra m pandan m te gen "
                        "menòt.",
        "sexual_abuse": "Yon gad te di m pawòl seksyèl epi li te manyen m pandan yon fouy, e "
                        "mwen pè denonse sa anndan an.",
        "due_process": "Yo te fèmen m san yo pa di m poukisa, e yo pa t kite m rele yon avoka.",
        "verification_misuse": "Patwon mwen te di E-Verify montre enfòmasyon yo pa matche, epi "
                               "li revoke m san li pa kite m korije sa.",
        "language_access": "Mwen te mande yon entèprèt nan lang mwen, men ofisye yo te "
                           "kontinye pale angle sèlman.",
        "disability_access": "Yo te pran chèz woulant mwen an e pèsonn pa t ede m ale nan "
                             "twalèt.",
        "retaliation": "Apre m te plenyen pou manje a, yo te mete m nan izolman epi yo te "
                       "retire tan telefòn mwen.",
        "victim_protection": "Yo te pataje enfòmasyon ki nan dosye viza U mwen an ak nonm ki te "
                             "fè m mal la.",
        "travel_screening": "Nan ayewopò a, yo toujou voye m nan dezyèm enspeksyon epi yo poze m "
                            "kesyon sou relijyon m.",
        "state_local_enforcement": "Prizon konte a te kenbe m de jou anplis pou imigrasyon apre "
                                   "jij la te lage m.",
        "other": "Yon biwo DHS te refize pran dokiman m yo e pèsonn pa t eksplike m rezon an.",
        "g1": "Sa te dire {n} jou.",
        "g2": "Mwen te mande èd plizyè fwa men pèsonn pa t reponn.",
        "g3": "Lòt moun ki te nan menm kote a te gen menm pwoblèm nan.",
        "g4": "Mwen vle yon moun envestige sa pou li pa rive ankò.",
    },
    "fr": {
        "profiling": "L'agent m'a mis à l'écart à cause de mon accent et de mon foulard, et a "
                     "laissé passer tous les autres.",
        "detention_conditions": "Au centre de rétention, il n'y avait pas d'eau potable propre "
                                "dans notre unité et les toilettes étaient cassées.",
        "medical_care": "J'ai demandé plusieurs fois à voir un médecin pour mes médicaments "
                        "contre le diabète, mais le personnel ne m'y a jamais emmené.",
        "use_of_force": "Un agent m'a poussé contre le mur et m'a tordu le bras alors que "
                        "j'étais menotté.",
        "sexual_abuse": "Un gardien a fait des remarques sexuelles et m'a touché pendant une "
                        "fouille, et j'ai peur de le signaler à l'intérieur.",
        "due_process": "On m'a détenu sans me dire pourquoi et on ne m'a pas laissé appeler un "
                       "avocat.",
        "verification_misuse": "Mon employeur a dit qu'E-Verify montrait une non-concordance et "
                               "m'a licencié sans me laisser corriger l'erreur.",
        "language_access": "J'ai demandé un interprète dans ma langue, mais les agents ont "
                           "continué à parler uniquement anglais.",
        "disability_access": "Ils m'ont pris mon fauteuil roulant et personne ne m'a aidé à "
                             "aller aux toilettes.",
        "retaliation": "Après m'être plaint de la nourriture, ils m'ont placé à l'isolement et "
                       "m'ont retiré mon temps de téléphone.",
        "victim_protection": "Des informations de mon dossier de visa U ont été communiquées à "
                             "l'homme qui m'a fait du mal.",
        "travel_screening": "À l'aéroport, on m'envoie toujours au contrôle secondaire et on me "
                            "pose des questions sur ma religion.",
        "state_local_enforcement": "La prison du comté m'a gardé deux jours de plus pour "
                                   "l'immigration après que le juge m'a libéré.",
        "other": "Un bureau du DHS a refusé d'accepter mes documents et personne ne m'a "
                 "expliqué pourquoi.",
        "g1": "Cela a duré {n} jours.",
        "g2": "J'ai demandé de l'aide plusieurs fois mais personne n'a répondu.",
        "g3": "D'autres personnes au même endroit ont eu le même problème.",
        "g4": "Je veux que quelqu'un enquête pour que cela ne se reproduise pas.",
    },
    "pt": {
        "profiling": "O agente me separou dos outros por causa do meu sotaque e do meu véu, e "
                     "deixou todos os outros passarem.",
        "detention_conditions": "No centro de detenção não havia água potável limpa na nossa "
                                "unidade e os banheiros estavam quebrados.",
        "medical_care": "Pedi muitas vezes para ver um médico por causa do meu remédio para "
                        "diabetes, mas os funcionários nunca me levaram.",
        "use_of_force": "Um agente me empurrou contra a parede e torceu meu braço enquanto eu "
                        "estava algemado.",
        "sexual_abuse": "Um guarda fez comentários sexuais e me tocou durante uma revista, e "
                        "tenho medo de denunciar lá dentro.",
        "due_process": "Fiquei detido sem me dizerem o motivo e não me deixaram ligar para um "
                       "advogado.",
        "verification_misuse": "Meu empregador disse que o E-Verify mostrou uma divergência e "
                               "me demitiu sem me deixar corrigir.",
        "language_access": "Pedi um intérprete na minha língua, mas os agentes continuaram "
                           "falando só em inglês.",
        "disability_access": "Tiraram minha cadeira de rodas e ninguém me ajudou a ir ao "
                             "banheiro.",
        "retaliation": "Depois que reclamei da comida, me colocaram em isolamento e tiraram meu "
                       "horário de telefone.",
        "victim_protection": "Informações do meu caso de visto U foram compartilhadas com o "
                             "homem que me machucou.",
        "travel_screening": "No aeroporto sempre me mandam para a inspeção secundária e me "
                            "perguntam sobre minha religião.",
        "state_local_enforcement": "A cadeia do condado me manteve mais dois dias para a "
                                   "imigração depois que o juiz me soltou.",
        "other": "Um escritório do DHS se recusou a aceitar meus documentos e ninguém explicou o "
                 "motivo.",
        "g1": "Isso durou {n} dias.",
        "g2": "Pedi ajuda várias vezes, mas ninguém respondeu.",
        "g3": "Outras pessoas no mesmo lugar tiveram o mesmo problema.",
        "g4": "Quero que alguém investigue isso para que não aconteça de novo.",
    },
    "ru": {
        "profiling": "Сотрудник остановил только меня из-за моего акцента и платка, а всех "
                     "остальных пропустил.",
        "detention_conditions": "В центре содержания в нашем блоке не было чистой питьевой "
                                "воды, а туалеты были сломаны.",
        "medical_care": "Я много раз просил отвести меня к врачу за лекарством от диабета, но "
                        "персонал так и не отвёл меня.",
        "use_of_force": "Сотрудник толкнул меня к стене и вывернул мне руку, когда я был в "
                        "наручниках.",
        "sexual_abuse": "Охранник делал сексуальные замечания и трогал меня во время обыска, и "
                        "я боюсь сообщить об этом внутри.",
        "due_process": "Меня задержали, не объяснив причину, и не дали позвонить адвокату.",
        "verification_misuse": "Работодатель сказал, что E-Verify показал несоответствие, и "
                               "уволил меня, не дав исправить ошибку.",
        "language_access": "Я попросил переводчика на моём языке, но сотрудники продолжали "
                           "говорить только по-английски.",
        "disability_access": "У меня забрали инвалидную коляску, и никто не помог мне дойти до "
                             "туалета.",
        "retaliation": "После того как я пожаловался на еду, меня перевели в одиночную камеру и "
                       "лишили звонков.",
        "victim_protection": "Сведения из моего дела о визе U передали человеку, который "
                             "причинил мне вред.",
        "travel_screening": "В аэропорту меня всегда отправляют на дополнительный досмотр и "
                            "расспрашивают о моей религии.",
        "state_local_enforcement": "Окружная тюрьма продержала меня ещё два дня для "
                                   "иммиграционной службы после того, как судья меня "
                                   "освободил.",
        "other": "Офис DHS отказался принять мои документы, и никто не объяснил причину.",
        "g1": "Это продолжалось {n} дней.",
        "g2": "Я несколько раз просил о помощи, но никто не ответил.",
        "g3": "У других людей в том же месте была такая же проблема.",
        "g4": "Я хочу, чтобы кто-то расследовал это, чтобы такое не повторилось.",
    },
    "so": {
        "profiling": "Sarkaalku wuxuu i joojiyay aniga oo keliya lahjaddayda iyo masarkayga "
                     "awgood, dadka kale oo dhanna wuu u oggolaaday inay gudbaan.",
        "detention_conditions": "Xarunta lagu hayo dadka, qaybtayada kuma jirin biyo la cabbo "
                                "oo nadiif ah, musqulahuna way jabnaayeen.",
        "medical_care": "Marar badan ayaan codsaday inaan dhakhtar arko si aan u helo daawada "
                        "sonkorowga, laakiin shaqaaluhu weligood ima geyn.",
        "use_of_force": "Sarkaal ayaa derbiga igu riixay oo gacanta iga maroojiyay anigoo "
                        "katiinadaysan.",
        "sexual_abuse": "Ilaaliye ayaa ii sheegay hadallo galmo ah oo i taabtay inta lagu jiray "
                        "baaritaanka, waxaana ka baqayaa inaan gudaha ka soo sheego.",
        "due_process": "Waa la i xiray iyada oo aan la ii sheegin sababta, mana aysan ii "
                       "oggolaan inaan qareen wacdo.",
        "verification_misuse": "Loo-shaqeeyahaygu wuxuu yiri E-Verify wuxuu muujiyay "
                               "macluumaad aan is-waafaqsanayn, wuuna i eryay isagoo aan ii "
                               "oggolaan inaan saxo.",
        "language_access": "Waxaan codsaday turjubaan luqaddayda ku hadla, laakiin saraakiishu "
                           "waxay sii wadeen inay Ingiriisi keliya ku hadlaan.",
        "disability_access": "Waxay iga qaateen kursigayga curyaanka, qofna igama caawin inaan "
                             "musqusha aado.",
        "retaliation": "Kadib markii aan ka cabanay cuntada, waxay i geeyeen go'doomin, waxayna "
                       "iga qaateen waqtigii taleefanka.",
        "victim_protection": "Macluumaadka kiiskayga fiisaha U waxaa la wadaagay ninkii i "
                             "dhibaateeyay.",
        "travel_screening": "Garoonka diyaaradaha had iyo jeer waxaa la ii diraa baaritaan "
                            "labaad, waxaana la i weydiiyaa diintayda.",
        "state_local_enforcement": "Xabsiga degmada ayaa i hayay laba maalmood oo dheeraad ah "
                                   "socdaalka awgeed kadib markii garsooruhu i sii daayay.",
        "other": "Xafiis ka tirsan DHS ayaa diiday inuu aqbalo dukumentiyadayda, qofna iima "
                 "sharxin sababta.",
        "g1": "Tani waxay socotay {n} maalmood.",
        "g2": "Marar badan ayaan caawimaad codsaday laakiin qofna ima jawaabin.",
        "g3": "Dad kale oo isla goobtaas joogay ayaa qabay dhibaato la mid ah.",
        "g4": "Waxaan rabaa in qof baaro arrintan si aysan mar kale u dhicin.",
    },
    "uk": {
        "profiling": "Працівник зупинив лише мене через мій акцент і хустку, а всіх інших "
                     "пропустив.",
        "detention_conditions": "У центрі утримання в нашому блоці не було чистої питної води, "
                                "а туалети були зламані.",
        "medical_care": "Я багато разів просив відвести мене до лікаря по ліки від діабету, але "
                        "персонал так і не відвів мене.",
        "use_of_force": "Працівник штовхнув мене до стіни й викрутив мені руку, коли я був у "
                        "кайданках.",
        "sexual_abuse": "Охоронець робив сексуальні зауваження й торкався мене під час обшуку, "
                        "і я боюся повідомити про це всередині.",
        "due_process": "Мене затримали, не пояснивши причини, і не дали зателефонувати "
                       "адвокату.",
        "verification_misuse": "Роботодавець сказав, що E-Verify показав невідповідність, і "
                               "звільнив мене, не давши виправити помилку.",
        "language_access": "Я попросив перекладача моєю мовою, але працівники й далі говорили "
                           "лише англійською.",
        "disability_access": "У мене забрали інвалідний візок, і ніхто не допоміг мені "
                             "дістатися до туалету.",
        "retaliation": "Після того як я поскаржився на їжу, мене перевели в одиночну камеру й "
                       "позбавили дзвінків.",
        "victim_protection": "Відомості з моєї справи про візу U передали чоловікові, який "
                             "заподіяв мені шкоду.",
        "travel_screening": "В аеропорту мене завжди відправляють на додатковий огляд і "
                            "розпитують про мою релігію.",
        "state_local_enforcement": "Окружна в'язниця протримала мене ще два дні для "
                                   "імміграційної служби після того, як суддя мене звільнив.",
        "other": "Офіс DHS відмовився прийняти мої документи, і ніхто не пояснив причини.",
        "g1": "Це тривало {n} днів.",
        "g2": "Я кілька разів просив про допомогу, але ніхто не відповів.",
        "g3": "Інші люди в тому ж місці мали таку саму проблему.",
        "g4": "Я хочу, щоб хтось розслідував це, аби таке не повторилося.",
    },
    "fa_AF": {
        "profiling": "مامور مرا به خاطر لهجه و روسری‌ام جدا متوقف کرد و به همه دیگران اجازه "
                     "داد که بگذرند.",
        "detention_conditions": "در مرکز توقیف، در بخش ما آب آشامیدنی پاک نبود و تشناب‌ها "
                                "خراب بودند.",
        "medical_care": "چندین بار خواستم برای دوای مرض شکر داکتر را ببینم، اما کارمندان هیچ "
                        "وقت مرا نبردند.",
        "use_of_force": "یک مامور مرا به دیوار تیله کرد و دستم را پیچاند در حالی که دستبند "
                        "داشتم.",
        "sexual_abuse": "یک نگهبان در هنگام تلاشی حرف‌های جنسی زد و مرا لمس کرد، و من می‌ترسم "
                        "که در داخل گزارش بدهم.",
        "due_process": "مرا بدون اینکه دلیلش را بگویند توقیف کردند و اجازه ندادند به وکیل "
                       "زنگ بزنم.",
        "verification_misuse": "کارفرمایم گفت که E-Verify معلومات ناهمخوان نشان داده و بدون "
                               "اینکه اجازه اصلاح بدهد مرا از کار برکنار کرد.",
        "language_access": "من ترجمان به زبان خودم خواستم، اما ماموران فقط به انگلیسی گپ "
                           "زدند.",
        "disability_access": "چوکی چرخدار مرا گرفتند و هیچ کس برای رفتن به تشناب کمکم نکرد.",
        "retaliation": "بعد از اینکه از غذا شکایت کردم، مرا به سلول انفرادی بردند و وقت "
                       "تیلفونم را گرفتند.",
        "victim_protection": "معلومات دوسیه ویزه U من با مردی که به من آسیب رساند شریک شد.",
        "travel_screening": "در میدان هوایی همیشه مرا برای تلاشی دوم می‌فرستند و در مورد دینم "
                            "سوال می‌کنند.",
        "state_local_enforcement": "زندان ولسوالی بعد از اینکه قاضی مرا رها کرد، دو روز دیگر "
                                   "برای مهاجرت نگهم داشت.",
        "other": "یک دفتر وزارت امنیت داخلی اسناد مرا نپذیرفت و هیچ کس دلیلش را توضیح نداد.",
        "g1": "این وضعیت {n} روز ادامه داشت.",
        "g2": "چندین بار کمک خواستم اما هیچ کس جواب نداد.",
        "g3": "دیگران در همان جای هم همین مشکل را داشتند.",
        "g4": "می‌خواهم کسی این موضوع را بررسی کند تا دوباره تکرار نشود.",
    },
    "ps": {
        "profiling": "افسر زه یوازې زما د لهجې او سرپوښ له امله ودرولم، او نور ټول یې پرېښودل "
                     "چې تېر شي.",
        "detention_conditions": "د توقیف په مرکز کې زموږ په برخه کې پاکې د څښلو اوبه نه وې او "
                                "تشنابونه مات وو.",
        "medical_care": "ما څو ځله وغوښتل چې د شکرې د درمل لپاره ډاکټر وګورم، خو کارکوونکو "
                        "هېڅکله ونه وړلم.",
        "use_of_force": "یو افسر زه دېوال ته ټېله کړم او لاس یې راته تاو کړ په داسې حال کې چې "
                        "لاسونه مې تړلي وو.",
        "sexual_abuse": "یو ساتونکي د تلاشۍ پر مهال جنسي خبرې وکړې او زه یې لمس کړم، او زه "
                        "ډارېږم چې دننه یې راپور ورکړم.",
        "due_process": "زه یې پرته له دې چې دلیل راته ووایي توقیف کړم او اجازه یې رانه کړه چې "
                       "وکیل ته زنګ ووهم.",
        "verification_misuse": "زما کارګمارونکي وویل چې E-Verify ناسمون ښودلی او پرته له دې "
                               "چې د سمولو اجازه راکړي له دندې یې وایستلم.",
        "language_access": "ما په خپله ژبه ژباړونکی وغوښت، خو افسرانو یوازې په انګلیسي خبرې "
                           "کولې.",
        "disability_access": "زما د معلولیت څرخ لرونکې چوکۍ یې واخیسته او هېچا تشناب ته په تګ "
                             "کې مرسته رانه کړه.",
        "retaliation": "وروسته له دې چې ما د خوړو په اړه شکایت وکړ، زه یې یوازې خونې ته "
                       "ولېږدولم او د تلیفون وخت یې رانه واخیست.",
        "victim_protection": "زما د U ویزې د قضیې معلومات له هغه سړي سره شریک شول چې ما ته یې "
                             "زیان رسولی و.",
        "travel_screening": "په هوايي ډګر کې تل ما دویمې تلاشۍ ته لېږي او زما د دین په اړه "
                            "پوښتنې کوي.",
        "state_local_enforcement": "د ولسوالۍ زندان وروسته له دې چې قاضي زه خوشې کړم، د مهاجرت "
                                   "لپاره دوه ورځې نور هم وساتلم.",
        "other": "د کورني امنیت د وزارت یوه دفتر زما اسناد ونه منل او هېچا یې دلیل راته ونه "
                 "ویل.",
        "g1": "دا حالت {n} ورځې دوام وکړ.",
        "g2": "ما څو ځله د مرستې غوښتنه وکړه خو هېچا ځواب رانه کړ.",
        "g3": "په همغه ځای کې نورو خلکو هم همدا ستونزه درلوده.",
        "g4": "زه غواړم چې څوک دا مسله وڅېړي ترڅو بیا تکرار نه شي.",
    },
}
# Scripts written without spaces between sentences.
_NO_SPACE = frozenset({"zh_Hans", "zh_Hant"})
NAMES: dict[str, tuple[str, ...]] = {
    "en": ("James Carter", "Maria Lopez", "David Kim", "Aisha Rahman", "Robert Johnson",
           "Grace Williams"),
    "es": ("José García", "María Hernández", "Luis Martínez", "Carmen López", "Ana Rodríguez",
           "Jorge Ramírez"),
    "zh_Hans": ("王伟", "李芳", "张强", "刘丽", "陈静", "杨洋"),
    "zh_Hant": ("王偉", "李芳", "張強", "劉麗", "陳靜", "黃志明"),
    "vi": ("Nguyễn Văn An", "Trần Thị Lan", "Lê Minh Tuấn", "Phạm Thu Hà", "Hoàng Văn Nam",
           "Võ Thị Mai"),
    "ko": ("김민준", "이서연", "박지훈", "최수빈", "정예은", "강도윤"),
    "tl": ("Juan dela Cruz", "Maria Santos", "Jose Reyes", "Ana Bautista", "Mark Villanueva",
           "Liza Mendoza"),
    "ar": ("محمد أحمد", "فاطمة علي", "أحمد حسن", "مريم خالد", "يوسف إبراهيم", "سارة محمود"),
    "ht": ("Jean Baptiste", "Marie Joseph", "Pierre Louis", "Nadège Charles", "Wilson Pierre",
           "Rose Saint-Fleur"),
    "fr": ("Jean Dupont", "Marie Diallo", "Pierre Martin", "Aminata Traoré", "Claire Bernard",
           "Moussa Koné"),
    "pt": ("João Silva", "Maria Santos", "Pedro Oliveira", "Ana Souza", "Lucas Pereira",
           "Juliana Costa"),
    "ru": ("Иван Петров", "Анна Смирнова", "Дмитрий Козлов", "Елена Попова", "Сергей Волков",
           "Ольга Новикова"),
    "so": ("Maxamed Cali", "Faadumo Xasan", "Axmed Maxamuud", "Hodan Yuusuf", "Cabdi Warsame",
           "Sahra Nuur"),
    "uk": ("Олександр Шевченко", "Олена Коваленко", "Андрій Бондаренко", "Наталія Ткаченко",
           "Іван Мельник", "Ірина Кравченко"),
    "fa_AF": ("احمد رحیمی", "فریبا احمدی", "محمد کریمی", "زهرا حسینی", "نجیب الله نوری",
              "مریم صدیقی"),
    "ps": ("احمد شاه خان", "ملالۍ احمدزۍ", "محمد ګل", "نازو مومند", "عبدالله شینواری",
           "زرمینه وردګ"),
}
RELATIONSHIPS = ("attorney", "representative", "family", "advocate", "other")
ORGANIZATIONS = ("Example Legal Aid", "Sample Immigrant Rights Project",
                 "Demo Community Advocates", "Placeholder Law Clinic")


_check_workflow()


def narrative(rng: random.Random, language: str, categories: Sequence[str]) -> str:
    """A short narrative in `language` about the given categories (the first one first)."""
    bank = SENTENCES[language]
    parts = [bank[c] for c in categories[:2]]
    parts.append(bank["g1"].format(n=2 + int(rng.random() * 59)))
    parts.append(bank[("g2", "g3", "g4")[int(rng.random() * 3)]])
    return ("" if language in _NO_SPACE else " ").join(parts)


# -- helpers ---------------------------------------------------------------------------------------

class _Picker:
    """Weighted choice by bisecting cumulative weights (one random number per pick)."""

    def __init__(self, weights: Mapping[str, float]) -> None:
        self.values = list(weights)
        self.cumulative: list[float] = []
        total = 0.0
        for weight in weights.values():
            total += weight
            self.cumulative.append(total)
        self.total = total

    def __call__(self, rng: random.Random) -> str:
        return self.values[bisect.bisect_right(self.cumulative, rng.random() * self.total)]


_RECEIPT_HALF = len(receipts.ALPHABET) ** 4  # 810,000 values of one 4-character group
_PAIRS = [a + b for a in receipts.ALPHABET for b in receipts.ALPHABET]  # 2 characters, base 30


def demo_receipt(index: int, seed: int) -> str:
    """A receipt for the `index`-th demo complaint of a seed: a keyed permutation (Feistel
    network) of the index over every possible receipt, so receipts never repeat within a seed
    and look random."""
    left, right = divmod(index % (_RECEIPT_HALF * _RECEIPT_HALF), _RECEIPT_HALF)
    for round_key in range(4):
        mixed = (right * 2_654_435_761 + seed * 97_531 + round_key * 40_503) & 0xFFFFFFFF
        mixed ^= mixed >> 15
        mixed = (mixed * 2_246_822_519) & 0xFFFFFFFF
        mixed ^= mixed >> 13
        left, right = right, (left + mixed) % _RECEIPT_HALF
    pairs = len(_PAIRS)
    return (f"{receipts.RECEIPT_PREFIX}-{_PAIRS[left // pairs]}{_PAIRS[left % pairs]}-"
            f"{_PAIRS[right // pairs]}{_PAIRS[right % pairs]}")


def _received_fraction(p: float) -> float:
    """Inverse of the arrival distribution over the span (0 = oldest, 1 = now): filings grow
    over time, density 0.6 at the start to 1.4 at the end."""
    return (-0.6 + math.sqrt(0.36 + 1.6 * p)) / 0.8


def _json(value: Any) -> str:
    return json.dumps(value)


class _Storage:
    """Values in the form each database stores them (what the models' types would send), so
    rows go to the driver as they are, without per-value processing."""

    def __init__(self, dialect: str) -> None:
        if dialect not in ("sqlite", "postgresql"):
            raise RuntimeError(f"demo data supports SQLite and PostgreSQL, not {dialect}")
        self.sqlite = dialect == "sqlite"

    def instant(self, value: datetime | None) -> Any:
        """A UTC datetime: SQLite keeps text like `2025-10-01 03:00:00.000000`."""
        if value is None or not self.sqlite:
            return value
        return value.isoformat(" ", "microseconds")[:26]

    def day(self, value: date | None) -> Any:
        if value is None or not self.sqlite:
            return value
        return value.isoformat()


@dataclass
class DemoReport:
    count: int
    seconds: float
    access_code: str
    first_receipt: str | None
    last_receipt: str | None
    events: int

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else float("inf")


@dataclass
class _Batch:
    complaints: list[dict[str, Any]] = field(default_factory=list)
    categories: list[tuple[Any, ...]] = field(default_factory=list)
    components: list[tuple[Any, ...]] = field(default_factory=list)
    events: list[tuple[Any, ...]] = field(default_factory=list)
    duplicates: list[tuple[Any, ...]] = field(default_factory=list)
    documents: list[tuple[Any, ...]] = field(default_factory=list)


DOCUMENT_COLUMNS = ("complaint_id", "terms")
CATEGORY_COLUMNS = ("complaint_id", "category", "is_primary")
COMPONENT_COLUMNS = ("complaint_id", "component")
DUPLICATE_COLUMNS = ("complaint_id", "other_id", "reason")
EVENT_COLUMNS = ("at", "kind", "complaint_id", "actor", "from_status", "to_status", "note",
                 "data")


@dataclass(frozen=True)
class _Routed:
    """What routing decided for one set of facts, with its JSON already written."""

    section: str
    priority: str
    restricted: bool
    flags_json: str
    flags_with_duplicate_json: str
    reasons_json: str
    event_json: str


class _Generator:
    """Builds rows; everything random comes from one seeded `random.Random`, in row order."""

    def __init__(self, count: int, seed: int, anchor: datetime, code_hash: str, first_id: int,
                 storage: _Storage) -> None:
        self.count = count
        self.seed = seed
        self.rng = random.Random(seed)  # noqa: S311 - demo data, reproducible on purpose
        self.anchor = anchor
        self.span = timedelta(days=365 * YEARS + 1)
        self.code_hash = code_hash
        self.first_id = first_id
        self.storage = storage
        self.language = _Picker(LANGUAGE_WEIGHTS)
        self.category = _Picker(CATEGORY_WEIGHTS)
        self.channel = _Picker(CHANNEL_WEIGHTS)
        self.state = _Picker(STATE_WEIGHTS)
        self.next_status = {status: _Picker(w) for status, w in NEXT_WEIGHTS.items()}
        self.closing = {status: _Picker(w) for status, w in CLOSING_DISPOSITIONS.items()}
        self.stay_mu = {status: math.log(days) for status, days in STAY_DAYS.items()}
        self.routes: dict[tuple[Any, ...], _Routed] = {}
        self.filed_json: dict[tuple[str, str], str] = {}
        self.transition_json: dict[str | None, str] = {}
        self.recent: deque[dict[str, Any]] = deque(maxlen=300)

    def _pick(self, values: Sequence[str]) -> str:
        return values[int(self.rng.random() * len(values))]

    def _route(self, primary: str, secondary: list[str], components: list[str],
               *answers: bool) -> _Routed:
        """Routing for these facts (the real rules; cached, as the same facts recur)."""
        key = (primary, *sorted(secondary), "|", *sorted(components), *answers)
        found = self.routes.get(key)
        if found is None:
            at_risk, citizen, minor, detained, interpreter, employer = answers
            routing = route(Facts(
                primary_category=primary, categories=frozenset(secondary),
                components=frozenset(components), at_risk_now=at_risk, us_citizen_held=citizen,
                minor_involved=minor, currently_detained=detained,
                interpreter_needed=interpreter, private_employer=employer))
            flags = list(routing.flags)
            reasons = [r.as_dict() for r in routing.reasons]
            found = _Routed(
                routing.section, routing.priority, routing.restricted, _json(flags),
                _json([*flags, "possible_duplicate"]), _json(reasons),
                _json({"section": routing.section, "priority": routing.priority,
                       "restricted": routing.restricted, "flags": flags, "reasons": reasons}))
            self.routes[key] = found
        return found

    def _stay(self, status: str, priority: str) -> timedelta:
        mu = self.stay_mu[status]
        if status == "received" and priority != "normal":
            mu = math.log(0.5 if priority == "urgent" else 2.0)
        return timedelta(days=math.exp(mu + 0.8 * self.rng.gauss(0.0, 1.0)))

    def _path(self, start: datetime, priority: str, forced: tuple[str, ...] | None,
              forced_disposition: str | None) -> list[tuple[str, str, datetime, str | None]]:
        """The moves a complaint made: (from, to, at, disposition), all before the anchor."""
        moves: list[tuple[str, str, datetime, str | None]] = []
        status, at = "received", start
        if forced is not None:
            step = min(timedelta(days=1), (self.anchor - start) / (len(forced) + 1))
            for target in forced:
                at += step
                disposition = None
                if target == "closed":
                    disposition = forced_disposition or self.closing[status](self.rng)
                moves.append((status, target, at, disposition))
                status = target
            return moves
        while True:
            target = self.next_status[status](self.rng)
            if not target:
                break
            at = at + self._stay(status, priority)
            if at >= self.anchor:
                break
            disposition = self.closing[status](self.rng) if target == "closed" else None
            moves.append((status, target, at, disposition))
            status = target
        return moves

    def batch(self, start: int, stop: int) -> _Batch:
        out = _Batch()
        for index in range(start, stop):
            self._one(index, out)
        return out

    def _one(self, index: int, out: _Batch) -> None:
        rng, random_ = self.rng, self.rng.random
        instant = self.storage.instant
        complaint_id = self.first_id + index
        coverage = index - (self.count - COVERAGE_ROWS)
        received = self.anchor - self.span * (1 - _received_fraction((index + random_())
                                                                      / self.count))
        received = min(received, self.anchor - timedelta(seconds=1))

        # What happened.
        if coverage >= 0:
            language = LOCALE_CODES[coverage % len(LOCALE_CODES)]
            primary = CATEGORY_CODES[coverage % len(CATEGORY_CODES)]
        else:
            language = self.language(rng)
            primary = self.category(rng)
        duplicate_of: dict[str, Any] | None = None
        duplicate_reason = None
        if coverage < 0 and self.recent and random_() < 0.03:
            duplicate_of = self.recent[int(random_() * len(self.recent))]
            duplicate_reason = ("email" if duplicate_of["email"] and random_() < 0.4
                                else "narrative")
            if duplicate_reason == "narrative":
                language = duplicate_of["language"]
                primary = duplicate_of["primary_category"]
        secondary: list[str] = []
        roll = random_()
        if roll < 0.45:
            secondary.append(self._pick(RELATED_CATEGORIES[primary]))
            if roll < 0.1:
                extra = self._pick(CATEGORY_CODES)
                if extra != primary and extra not in secondary:
                    secondary.append(extra)
        usual = CATEGORY_COMPONENTS[primary]
        components = [self._pick(usual)]
        if random_() < 0.2:
            other = self._pick(usual)
            if other not in components:
                components.append(other)
        if random_() < 0.05:
            components = ["UNKNOWN"]
        if coverage >= 0:
            forced_component = COMPONENT_CODES[coverage % len(COMPONENT_CODES)]
            if forced_component not in components:
                components.append(forced_component)

        detained = random_() < DETAINED_SHARE.get(primary, 0.05)
        at_risk = random_() < (0.12 if primary in ("medical_care", "sexual_abuse") else 0.03)
        citizen = random_() < {"due_process": 0.08, "state_local_enforcement": 0.06}.get(
            primary, 0.003)
        minor = random_() < 0.05
        interpreter = random_() < (0.02 if language == "en" else 0.55)
        employer = primary == "verification_misuse" and random_() < 0.45
        routed = self._route(primary, secondary, components, at_risk, citizen, minor, detained,
                             interpreter, employer)

        if duplicate_reason == "narrative" and duplicate_of is not None:
            text_body = duplicate_of["narrative"]
        else:
            text_body = narrative(rng, language, [primary, *secondary])
        state = None if random_() < 0.08 else self.state(rng)
        if state:
            country: str | None = "United States"
        else:
            country = self._pick(COUNTRIES_ABROAD) if random_() < 0.5 else None
        cities = CITIES.get(state or "")
        city = self._pick(cities) if cities and random_() < 0.8 else None
        facility = None
        if detained or primary in ("detention_conditions", "medical_care"):
            facility = self._pick(FACILITIES) if random_() < 0.8 else None
        elif primary == "travel_screening" and city:
            facility = f"{city} International Airport"
        incident = (received - timedelta(days=int(random_() * 61))).date()
        channel = self.channel(rng)
        created = received
        if channel not in ("web", "api"):  # entered by staff from a letter, call, email, fax
            created = min(received + timedelta(hours=1 + int(random_() * 96)),
                          self.anchor - timedelta(seconds=1))

        # Who (fictitious; example.org addresses, 555-01xx numbers).
        name = self._pick(NAMES[language]) if random_() < 0.65 else None
        email = f"demo{complaint_id}@example.org" if random_() < 0.4 else None
        if duplicate_reason == "email" and duplicate_of is not None:
            email = duplicate_of["email"]
        phone = f"+1 202-555-01{int(random_() * 100):02d}" if random_() < 0.2 else None
        a_number = (f"A{100_000_000 + int(random_() * 900_000_000)}"
                    if detained and random_() < 0.5 else None)
        birth = (date(1950 + int(random_() * 56), 1 + int(random_() * 12),
                      1 + int(random_() * 28)) if random_() < 0.3 else None)
        for_other = random_() < (0.5 if detained else 0.15)

        # What happened to it.
        forced: tuple[str, ...] | None = None
        forced_disposition = None
        if 0 <= coverage < len(STATUS_PATHS):
            forced = STATUS_PATHS[STATUS_CODES[coverage]]
        elif len(STATUS_PATHS) <= coverage < len(STATUS_PATHS) + len(DISPOSITION_CODES):
            forced_disposition = DISPOSITION_CODES[coverage - len(STATUS_PATHS)]
            forced = DISPOSITION_PATHS[forced_disposition]
        moves = self._path(created, routed.priority, forced, forced_disposition)
        status = moves[-1][1] if moves else "received"
        disposition = moves[-1][3] if moves and status == "closed" else None
        original = None
        if disposition == "duplicate":
            original = duplicate_of or (self.recent[int(random_() * len(self.recent))]
                                        if self.recent else None)
            if original is None:
                disposition = "withdrawn"
                source, target, at, _ = moves[-1]
                moves[-1] = (source, target, at, disposition)

        receipt = demo_receipt(index, self.seed)
        row = {
            "id": complaint_id, "receipt": receipt, "access_code_hash": self.code_hash,
            "submission_key": None, "received_at": instant(received),
            "created_at": instant(created),
            "updated_at": instant(moves[-1][2] if moves else created),
            "channel": channel, "language": language, "primary_category": primary,
            "narrative": text_body,
            "incident_month": f"{incident.year:04d}-{incident.month:02d}",
            "incident_day": incident.day if random_() < 0.5 else None,
            "city": city, "state": state, "country": country, "facility": facility,
            "officials": None, "witnesses": None, "steps_taken": None,
            "at_risk_now": at_risk, "currently_detained": detained,
            "detention_location": facility if detained else None, "us_citizen_held": citizen,
            "minor_involved": minor, "private_employer": employer, "name": name, "email": email,
            "email_key": email.lower() if email else None, "phone": phone, "address": None,
            "date_of_birth": self.storage.day(birth), "a_number": a_number,
            "interpreter_needed": interpreter, "share_identity": random_() < 0.5,
            "privacy_acknowledged": True, "filing_for_other": for_other,
            "filer_name": self._pick(NAMES["en"]) if for_other else None,
            "filer_organization": (self._pick(ORGANIZATIONS)
                                   if for_other and random_() < 0.6 else None),
            "filer_relationship": self._pick(RELATIONSHIPS) if for_other else None,
            "consent_attested": for_other, "section": routed.section,
            "priority": routed.priority, "priority_rank": PRIORITY_RANK[routed.priority],
            "restricted": routed.restricted,
            "flags": (routed.flags_with_duplicate_json if duplicate_of is not None
                      else routed.flags_json),
            "routing_reasons": routed.reasons_json,
            "possible_duplicate": duplicate_of is not None, "status": status,
            "disposition": disposition,
            "duplicate_of_id": original["id"] if original else None, "assignee_id": None,
            "first_triaged_at": instant(moves[0][2] if moves else None),
            "closed_at": instant(moves[-1][2] if status == "closed" else None),
            "version": 1 + len(moves),
        }
        out.complaints.append(row)
        out.documents.append((complaint_id, search_document(text_body, status != "closed")))
        out.categories.append((complaint_id, primary, True))
        out.categories.extend((complaint_id, c, False) for c in secondary)
        out.components.extend((complaint_id, c) for c in components)

        at_received = row["received_at"]
        filed = self.filed_json.get((channel, language))
        if filed is None:
            filed = self.filed_json[(channel, language)] = _json(
                {"channel": channel, "language": language})
        out.events.append((at_received, "filed", complaint_id, ACTOR, None, "received", None,
                           filed))
        out.events.append((at_received, "routed", complaint_id, ACTOR, None, None, None,
                           routed.event_json))
        if duplicate_of is not None:
            out.duplicates.append((complaint_id, duplicate_of["id"], duplicate_reason))
            out.events.append((at_received, "possible_duplicate", complaint_id, ACTOR, None,
                               None, None, _json({"matches": [
                                   {"complaint_id": duplicate_of["id"],
                                    "reason": duplicate_reason}]})))
        for source, target, at, move_disposition in moves:
            if move_disposition == "duplicate" and original is not None:
                data = _json({"disposition": "duplicate", "duplicate_of": original["receipt"]})
            else:
                cached = self.transition_json.get(move_disposition)
                if cached is None:
                    cached = self.transition_json[move_disposition] = _json(
                        {"disposition": move_disposition, "duplicate_of": None})
                data = cached
            out.events.append((instant(at), "transition", complaint_id, ACTOR, source, target,
                               "Reopened for review." if source == "closed" else None, data))
        self.recent.append(row)


def _insert_sql(table: str, columns: Sequence[str]) -> str:
    """`INSERT INTO table (columns) VALUES (placeholders)` in the driver's parameter style."""
    dialect = db.session.get_bind().dialect
    quote = dialect.identifier_preparer.quote
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    # Names come from our own metadata, never from input.
    return (f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
            f"VALUES ({', '.join([mark] * len(columns))})")


def _write(table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """Write rows already in storage form: one DB-API executemany on SQLite, one COPY on
    PostgreSQL (psycopg; several times faster than row-by-row INSERTs there)."""
    if not rows:
        return
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        connection.exec_driver_sql(_insert_sql(table, columns), list(rows))
        return
    quote = connection.dialect.identifier_preparer.quote
    raw: Any = connection.connection.driver_connection
    command = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    with raw.cursor() as cursor, cursor.copy(command) as copy:
        for row in rows:
            copy.write_row(row)


def _existing_receipts(candidates: Sequence[str]) -> set[str]:
    found = db.session.scalars(select(Complaint.receipt).where(Complaint.receipt.in_(candidates)))
    return set(found)


_RETRY_STRIDE = 1_000_000_007  # beyond any run's indices, so retries never meet first tries


def _resolve_collisions(batch: _Batch, seed: int, start: int) -> None:
    """Give a fresh receipt to any complaint whose receipt is already in the database (one that
    holds other complaints, or demo data from the same seed), and to references to it."""
    renamed: dict[str, str] = {}
    for attempt in range(1, 200):
        taken = _existing_receipts([r["receipt"] for r in batch.complaints])
        if not taken:
            break
        for offset, row in enumerate(batch.complaints):
            if row["receipt"] in taken:
                new = demo_receipt(start + offset + attempt * _RETRY_STRIDE, seed)
                first = next((old for old, now in renamed.items() if now == row["receipt"]),
                             row["receipt"])
                renamed[first] = new
                row["receipt"] = new
    else:
        raise RuntimeError("could not find free receipts for demo data")
    if not renamed:
        return
    for position, event in enumerate(batch.events):
        data = event[-1]
        if event[1] == "transition" and '"duplicate_of": "' in data:
            old = json.loads(data)["duplicate_of"]
            if old in renamed:
                batch.events[position] = (*event[:-1], _json(
                    {"disposition": "duplicate", "duplicate_of": renamed[old]}))


# An AFTER INSERT trigger on complaints whose only work is copying each new narrative into
# full-text tables (SQLite search, migration 0003). Only a trigger of exactly this shape is set
# aside during a batch; anything else keeps firing row by row.
_COPY_TRIGGER = re.compile(
    r"CREATE TRIGGER (?P<name>\w+) AFTER INSERT ON complaints BEGIN "
    r"(?P<body>(?:INSERT INTO \w+\(rowid, narrative\) VALUES \(new\.id, new\.narrative\); )+)"
    r"END", re.IGNORECASE)
_COPY_TARGET = re.compile(r"INSERT INTO (\w+)\(rowid, narrative\)", re.IGNORECASE)


@dataclass(frozen=True)
class _CopyTrigger:
    name: str
    sql: str
    tables: tuple[str, ...]


def _copy_triggers() -> list[_CopyTrigger] | None:
    """SQLite: the insert triggers on complaints, if every one only copies narratives into
    full-text tables (then a batch can fill those tables in one statement instead); None when
    there is another kind of trigger, or on other databases."""
    if db.session.get_bind().dialect.name != "sqlite":
        return None
    found = []
    rows = db.session.execute(text(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'complaints'"))
    for name, sql in rows:
        normalized = " ".join(str(sql).split())
        if "INSERT ON" not in normalized.split(" BEGIN ", 1)[0].upper():
            continue  # a delete or update trigger: not fired by inserts
        match = _COPY_TRIGGER.fullmatch(normalized)
        if match is None or match["name"] != name:
            return None
        found.append(_CopyTrigger(name, str(sql), tuple(_COPY_TARGET.findall(match["body"]))))
    return found


def _insert_complaints(rows: list[dict[str, Any]], triggers: list[_CopyTrigger] | None) -> None:
    """Insert a batch of complaints; on SQLite with copy-only triggers, fill their full-text
    tables in bulk instead, inside the same transaction (so a failure undoes all of it, the
    dropped trigger included)."""
    columns = list(rows[0])
    values = list(map(operator.itemgetter(*columns), rows))
    if not triggers:
        _write("complaints", columns, values)
        return
    raw = db.session.connection().connection.driver_connection
    if raw is not None and not raw.in_transaction:
        raw.execute("BEGIN")  # DDL does not open a transaction by itself in sqlite3
    for trigger in triggers:
        db.session.execute(text(f'DROP TRIGGER "{trigger.name}"'))
    _write("complaints", columns, values)
    first, last = rows[0]["id"], rows[-1]["id"]
    for trigger in triggers:
        for table in trigger.tables:
            db.session.execute(
                # The table name is a \w+ word read from the trigger itself.
                text(f'INSERT INTO "{table}"(rowid, narrative) SELECT id, narrative '  # noqa: S608
                     "FROM complaints WHERE id BETWEEN :first AND :last"),
                {"first": first, "last": last})
        db.session.execute(text(trigger.sql))


@contextmanager
def _large_sqlite_cache(megabytes: int = 256) -> Iterator[None]:
    """SQLite: a bigger page cache while loading, so index pages stay in memory."""
    if db.session.get_bind().dialect.name != "sqlite":
        yield
        return
    before = db.session.execute(text("PRAGMA cache_size")).scalar()
    db.session.execute(text(f"PRAGMA cache_size = {-1024 * int(megabytes)}"))
    try:
        yield
    finally:
        db.session.execute(text(f"PRAGMA cache_size = {int(before or -2000)}"))


def _fix_sequences() -> None:
    """PostgreSQL: move the id sequence past the ids written explicitly."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    db.session.execute(text(
        "SELECT setval(pg_get_serial_sequence('complaints', 'id'), "
        "(SELECT COALESCE(MAX(id), 1) FROM complaints))"))


def generate(count: int, seed: int = 1, *, batch_size: int = DEFAULT_BATCH,
             access_code: str | None = None,
             progress: Callable[[int, int, float], None] | None = None) -> DemoReport:
    """Write `count` demo complaints with their categories, components and audit trail.

    Rows are built as plain tuples and written with one executemany per table and batch of
    `batch_size` complaints, then committed. `progress(done, count, seconds)` is called after
    each batch. The shared access code is `access_code` or a new random one; the report
    carries it.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    started = clock.perf_counter()
    code = access_code or receipts.new_access_code()
    code_hash = access_codes.hash_code(code)
    first_id = int(db.session.scalar(select(func.max(Complaint.id))) or 0) + 1
    check_receipts = first_id > 1
    anchor = datetime.combine(datetime.now(UTC).date(), time(0), UTC)
    storage = _Storage(db.session.get_bind().dialect.name)
    generator = _Generator(count, seed, anchor, code_hash, first_id, storage)
    triggers = _copy_triggers()
    events = 0
    first_receipt = last_receipt = None
    ranges = [(start, min(start + batch_size, count)) for start in range(0, count, batch_size)]
    # On an empty database no receipt is ever renamed, so the next batch can be built in a
    # thread while the database writes this one (the driver releases the GIL meanwhile).
    batches: Generator[_Batch, None, None] = (
        _batches_ahead(generator, ranges) if not check_receipts
        else (generator.batch(start, stop) for start, stop in ranges))
    try:
        with _large_sqlite_cache():
            for (start, stop), batch in zip(ranges, batches, strict=True):
                if check_receipts:
                    _resolve_collisions(batch, seed, start)
                events += _write_batch(batch, triggers)
                first_receipt = first_receipt or batch.complaints[0]["receipt"]
                last_receipt = batch.complaints[-1]["receipt"]
                if progress is not None:
                    progress(stop, count, clock.perf_counter() - started)
    finally:
        batches.close()  # stops the worker thread, even when writing failed
    _fix_sequences()
    db.session.commit()
    return DemoReport(count, clock.perf_counter() - started, code, first_receipt, last_receipt,
                      events)


def _batches_ahead(generator: _Generator, ranges: list[tuple[int, int]]
                   ) -> Generator[_Batch, None, None]:
    """The batches in order, each built by a worker thread one step ahead of the consumer.
    Closing this generator stops the worker."""
    ready: queue.Queue[_Batch | BaseException] = queue.Queue(maxsize=1)
    stop = threading.Event()

    def offer(item: _Batch | BaseException) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        try:
            for start, end in ranges:
                if not offer(generator.batch(start, end)):
                    return
        except BaseException as exc:  # handed to the consumer, which raises it
            offer(exc)

    worker = threading.Thread(target=work, name="demo-data", daemon=True)
    worker.start()
    try:
        for _ in ranges:
            item = ready.get()
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        worker.join()


def _write_batch(batch: _Batch, triggers: list[_CopyTrigger] | None) -> int:
    """Write one batch of complaints and their rows in one transaction; return events written."""
    try:
        _insert_complaints(batch.complaints, triggers)
        _write("complaint_search_documents", DOCUMENT_COLUMNS, batch.documents)
        _write("complaint_categories", CATEGORY_COLUMNS, batch.categories)
        _write("complaint_components", COMPONENT_COLUMNS, batch.components)
        _write("possible_duplicates", DUPLICATE_COLUMNS, batch.duplicates)
        _write("audit_events", EVENT_COLUMNS, batch.events)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return len(batch.events)

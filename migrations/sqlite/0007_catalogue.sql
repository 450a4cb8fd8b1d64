-- Service catalogue: items with immutable versions, their change log, and the working-day calendar.
-- Keep in step with migrations/postgres/0007_catalogue.sql (a test compares the two).

-- The working-day calendar: dates the State Council's yearly notice moves (法定节假日 off, 调休
-- make-up days on); every other weekday works and every weekend rests. Administrators edit it;
-- the rows below are the State Council's notices for 2025 and 2026 (cited in `source`) and the
-- statutory days of 2027, whose 调休 notice had not been published when this was written.
CREATE TABLE calendar_days (
    day        TEXT PRIMARY KEY NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
    name       TEXT NOT NULL,
    source     TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
INSERT INTO calendar_days (day, kind, name, source, updated_at) VALUES
    ('2025-01-01', 'holiday', '元旦', '国务院办公厅关于2025年部分节假日安排的通知 www.gov.cn/zhengce/content/202411/content_6986382.htm', 0),
    ('2025-01-26', 'workday', '春节调休上班', '国务院办公厅关于2025年部分节假日安排的通知 www.gov.cn/zhengce/content/202411/content_6986382.htm', 0),
    ('2025-01-28', 'holiday', '春节', '国务院办公厅关于2025年部分节假日安排的通知 www.gov.cn/zhengce/content/202411/content_6986382.htm', 0),
    ('2025-01-29', 'holiday', '春节', '国务院办公厅关于2025年部分节假日安排的通知 www.gov.cn/zhengce/content/202411/content_6986382.htm', 0),
    ('2025-01-30', 'holiday', '春节', '国务院办公厅关于2025年部分节假日安排的通知 www.gov.cn/zhengce/content/202411/content_6986382.htm', 0),
    ('2025-01-31', 'holiday', '春节', '国务院办公厅关于2025年部分节假日安排的通知 www.gov.cn/zhengce/content/202411/content_6986382.htm', 0),
    ('2025-02-01', 'holiday', '春节', '国务院办公厅关于2025年部分节假日安排的通知 www.gov.cn/zhengce/content/202411/content_6986382.htm', 0),
    ('2025-02-02', 'holiday', '春节', '国务院办公厅关于2025年部分节假日安排的通知 www.gov.cn/zhengce/content/202411/content_6986382.htm', 0),
    ('2025-02-03', 'holiday', '春节', '国务院办公厅关于2025年部分节假日安排的通知 www.gov.cn/zhengce/content/202411/content_6986382.htm', 0),
    ('2025-02-04', 'holiday', '春节', '国务院办公厅关于2025年部分节假日安排的通知 www.gov.cn/zhengce/content/202411/content_6986382.htm', 0),
    ('2025-02-08', 'workday', '春节调休上班', '国务院办公厅关于2025年部分节假日安排的通知 www.gov.cn/zhengce/content/202411/content_6986382.htm', 0),
    ('2025-04-04', 'holiday', '清明节', '国务院办公厅关于2025年部分节假日安排的通知 www.gov.cn/zhengce/content/202411/content_6986382.htm', 0),
    ('2025-04-05', 'holiday', '清明节', '国务院办公厅关于2025年部分节假日安排的通知 www.gov.cn/zhengce/content/202411/content_6986382.htm', 0),
    ('2025-04-06', 'holiday', '清明节', '国务院办公厅关于2025年部分节假日安排的通知 www.gov.cn/zhengce/content/202411/content_6986382.htm', 0),
    ('2025-04-27', 'workday', '劳动节调休上班', '国务院办公厅关于2025年部分节假日安排的通知 www.gov.cn/zhengce/content/202411/content_6986382.htm', 0),
    ('2025-05-01', 'holiday', '劳动节', '国务院办公厅关于2025年部分节假日安排的通知 www.gov.cn/zhengce/content/202411/content_6986382.htm', 0),
    ('2025-05-02', 'holiday', '劳动节', '国务院办公厅关于2025年部分节假日安排的通知 www.gov.cn/zhengce/content/202411/content_6986382.htm', 0),
    ('2025-05-03', 'holiday', '劳动节', '国务院办公厅关于2025年部分节假日安排的通知 www.gov.cn/zhengce/content/202411/content_6986382.htm', 0),
    ('2025-05-04', 'holiday', '劳动节', '国务院办公厅关于2025年部分节假日安排的通知 www.gov.cn/zhengce/content/202411/content_6986382.htm', 0),
    ('2025-05-05', 'holiday', '劳动节', '国务院办公厅关于2025年部分节假日安排的通知 www.gov.cn/zhengce/content/202411/content_6986382.htm', 0),
    ('2025-05-31', 'holiday', '端午节', '国务院办公厅关于2025年部分节假日安排的通知 www.gov.cn/zhengce/content/202411/content_6986382.htm', 0),
    ('2025-06-01', 'holiday', '端午节', '国务院办公厅关于2025年部分节假日安排的通知 www.gov.cn/zhengce/content/202411/content_6986382.htm', 0),
    ('2025-06-02', 'holiday', '端午节', '国务院办公厅关于2025年部分节假日安排的通知 www.gov.cn/zhengce/content/202411/content_6986382.htm', 0),
    ('2025-09-28', 'workday', '国庆节调休上班', '国务院办公厅关于2025年部分节假日安排的通知 www.gov.cn/zhengce/content/202411/content_6986382.htm', 0),
    ('2025-10-01', 'holiday', '国庆节、中秋节', '国务院办公厅关于2025年部分节假日安排的通知 www.gov.cn/zhengce/content/202411/content_6986382.htm', 0),
    ('2025-10-02', 'holiday', '国庆节、中秋节', '国务院办公厅关于2025年部分节假日安排的通知 www.gov.cn/zhengce/content/202411/content_6986382.htm', 0),
    ('2025-10-03', 'holiday', '国庆节、中秋节', '国务院办公厅关于2025年部分节假日安排的通知 www.gov.cn/zhengce/content/202411/content_6986382.htm', 0),
    ('2025-10-04', 'holiday', '国庆节、中秋节', '国务院办公厅关于2025年部分节假日安排的通知 www.gov.cn/zhengce/content/202411/content_6986382.htm', 0),
    ('2025-10-05', 'holiday', '国庆节、中秋节', '国务院办公厅关于2025年部分节假日安排的通知 www.gov.cn/zhengce/content/202411/content_6986382.htm', 0),
    ('2025-10-06', 'holiday', '国庆节、中秋节', '国务院办公厅关于2025年部分节假日安排的通知 www.gov.cn/zhengce/content/202411/content_6986382.htm', 0),
    ('2025-10-07', 'holiday', '国庆节、中秋节', '国务院办公厅关于2025年部分节假日安排的通知 www.gov.cn/zhengce/content/202411/content_6986382.htm', 0),
    ('2025-10-08', 'holiday', '国庆节、中秋节', '国务院办公厅关于2025年部分节假日安排的通知 www.gov.cn/zhengce/content/202411/content_6986382.htm', 0),
    ('2025-10-11', 'workday', '国庆节调休上班', '国务院办公厅关于2025年部分节假日安排的通知 www.gov.cn/zhengce/content/202411/content_6986382.htm', 0),
    ('2026-01-01', 'holiday', '元旦', '国务院办公厅关于2026年部分节假日安排的通知 www.gov.cn/zhengce/content/202511/content_7047090.htm', 0),
    ('2026-01-02', 'holiday', '元旦', '国务院办公厅关于2026年部分节假日安排的通知 www.gov.cn/zhengce/content/202511/content_7047090.htm', 0),
    ('2026-01-03', 'holiday', '元旦', '国务院办公厅关于2026年部分节假日安排的通知 www.gov.cn/zhengce/content/202511/content_7047090.htm', 0),
    ('2026-01-04', 'workday', '元旦调休上班', '国务院办公厅关于2026年部分节假日安排的通知 www.gov.cn/zhengce/content/202511/content_7047090.htm', 0),
    ('2026-02-14', 'workday', '春节调休上班', '国务院办公厅关于2026年部分节假日安排的通知 www.gov.cn/zhengce/content/202511/content_7047090.htm', 0),
    ('2026-02-15', 'holiday', '春节', '国务院办公厅关于2026年部分节假日安排的通知 www.gov.cn/zhengce/content/202511/content_7047090.htm', 0),
    ('2026-02-16', 'holiday', '春节', '国务院办公厅关于2026年部分节假日安排的通知 www.gov.cn/zhengce/content/202511/content_7047090.htm', 0),
    ('2026-02-17', 'holiday', '春节', '国务院办公厅关于2026年部分节假日安排的通知 www.gov.cn/zhengce/content/202511/content_7047090.htm', 0),
    ('2026-02-18', 'holiday', '春节', '国务院办公厅关于2026年部分节假日安排的通知 www.gov.cn/zhengce/content/202511/content_7047090.htm', 0),
    ('2026-02-19', 'holiday', '春节', '国务院办公厅关于2026年部分节假日安排的通知 www.gov.cn/zhengce/content/202511/content_7047090.htm', 0),
    ('2026-02-20', 'holiday', '春节', '国务院办公厅关于2026年部分节假日安排的通知 www.gov.cn/zhengce/content/202511/content_7047090.htm', 0),
    ('2026-02-21', 'holiday', '春节', '国务院办公厅关于2026年部分节假日安排的通知 www.gov.cn/zhengce/content/202511/content_7047090.htm', 0),
    ('2026-02-22', 'holiday', '春节', '国务院办公厅关于2026年部分节假日安排的通知 www.gov.cn/zhengce/content/202511/content_7047090.htm', 0),
    ('2026-02-23', 'holiday', '春节', '国务院办公厅关于2026年部分节假日安排的通知 www.gov.cn/zhengce/content/202511/content_7047090.htm', 0),
    ('2026-02-28', 'workday', '春节调休上班', '国务院办公厅关于2026年部分节假日安排的通知 www.gov.cn/zhengce/content/202511/content_7047090.htm', 0),
    ('2026-04-04', 'holiday', '清明节', '国务院办公厅关于2026年部分节假日安排的通知 www.gov.cn/zhengce/content/202511/content_7047090.htm', 0),
    ('2026-04-05', 'holiday', '清明节', '国务院办公厅关于2026年部分节假日安排的通知 www.gov.cn/zhengce/content/202511/content_7047090.htm', 0),
    ('2026-04-06', 'holiday', '清明节', '国务院办公厅关于2026年部分节假日安排的通知 www.gov.cn/zhengce/content/202511/content_7047090.htm', 0),
    ('2026-05-01', 'holiday', '劳动节', '国务院办公厅关于2026年部分节假日安排的通知 www.gov.cn/zhengce/content/202511/content_7047090.htm', 0),
    ('2026-05-02', 'holiday', '劳动节', '国务院办公厅关于2026年部分节假日安排的通知 www.gov.cn/zhengce/content/202511/content_7047090.htm', 0),
    ('2026-05-03', 'holiday', '劳动节', '国务院办公厅关于2026年部分节假日安排的通知 www.gov.cn/zhengce/content/202511/content_7047090.htm', 0),
    ('2026-05-04', 'holiday', '劳动节', '国务院办公厅关于2026年部分节假日安排的通知 www.gov.cn/zhengce/content/202511/content_7047090.htm', 0),
    ('2026-05-05', 'holiday', '劳动节', '国务院办公厅关于2026年部分节假日安排的通知 www.gov.cn/zhengce/content/202511/content_7047090.htm', 0),
    ('2026-05-09', 'workday', '劳动节调休上班', '国务院办公厅关于2026年部分节假日安排的通知 www.gov.cn/zhengce/content/202511/content_7047090.htm', 0),
    ('2026-06-19', 'holiday', '端午节', '国务院办公厅关于2026年部分节假日安排的通知 www.gov.cn/zhengce/content/202511/content_7047090.htm', 0),
    ('2026-06-20', 'holiday', '端午节', '国务院办公厅关于2026年部分节假日安排的通知 www.gov.cn/zhengce/content/202511/content_7047090.htm', 0),
    ('2026-06-21', 'holiday', '端午节', '国务院办公厅关于2026年部分节假日安排的通知 www.gov.cn/zhengce/content/202511/content_7047090.htm', 0),
    ('2026-09-20', 'workday', '国庆节调休上班', '国务院办公厅关于2026年部分节假日安排的通知 www.gov.cn/zhengce/content/202511/content_7047090.htm', 0),
    ('2026-09-25', 'holiday', '中秋节', '国务院办公厅关于2026年部分节假日安排的通知 www.gov.cn/zhengce/content/202511/content_7047090.htm', 0),
    ('2026-09-26', 'holiday', '中秋节', '国务院办公厅关于2026年部分节假日安排的通知 www.gov.cn/zhengce/content/202511/content_7047090.htm', 0),
    ('2026-09-27', 'holiday', '中秋节', '国务院办公厅关于2026年部分节假日安排的通知 www.gov.cn/zhengce/content/202511/content_7047090.htm', 0),
    ('2026-10-01', 'holiday', '国庆节', '国务院办公厅关于2026年部分节假日安排的通知 www.gov.cn/zhengce/content/202511/content_7047090.htm', 0),
    ('2026-10-02', 'holiday', '国庆节', '国务院办公厅关于2026年部分节假日安排的通知 www.gov.cn/zhengce/content/202511/content_7047090.htm', 0),
    ('2026-10-03', 'holiday', '国庆节', '国务院办公厅关于2026年部分节假日安排的通知 www.gov.cn/zhengce/content/202511/content_7047090.htm', 0),
    ('2026-10-04', 'holiday', '国庆节', '国务院办公厅关于2026年部分节假日安排的通知 www.gov.cn/zhengce/content/202511/content_7047090.htm', 0),
    ('2026-10-05', 'holiday', '国庆节', '国务院办公厅关于2026年部分节假日安排的通知 www.gov.cn/zhengce/content/202511/content_7047090.htm', 0),
    ('2026-10-06', 'holiday', '国庆节', '国务院办公厅关于2026年部分节假日安排的通知 www.gov.cn/zhengce/content/202511/content_7047090.htm', 0),
    ('2026-10-07', 'holiday', '国庆节', '国务院办公厅关于2026年部分节假日安排的通知 www.gov.cn/zhengce/content/202511/content_7047090.htm', 0),
    ('2026-10-10', 'workday', '国庆节调休上班', '国务院办公厅关于2026年部分节假日安排的通知 www.gov.cn/zhengce/content/202511/content_7047090.htm', 0),
    ('2027-01-01', 'holiday', '元旦', '《全国年节及纪念日放假办法》法定假日（2027 年调休安排公布后由管理员补充）', 0),
    ('2027-02-05', 'holiday', '春节', '《全国年节及纪念日放假办法》法定假日（2027 年调休安排公布后由管理员补充）', 0),
    ('2027-02-06', 'holiday', '春节', '《全国年节及纪念日放假办法》法定假日（2027 年调休安排公布后由管理员补充）', 0),
    ('2027-02-07', 'holiday', '春节', '《全国年节及纪念日放假办法》法定假日（2027 年调休安排公布后由管理员补充）', 0),
    ('2027-02-08', 'holiday', '春节', '《全国年节及纪念日放假办法》法定假日（2027 年调休安排公布后由管理员补充）', 0),
    ('2027-04-05', 'holiday', '清明节', '《全国年节及纪念日放假办法》法定假日（2027 年调休安排公布后由管理员补充）', 0),
    ('2027-05-01', 'holiday', '劳动节', '《全国年节及纪念日放假办法》法定假日（2027 年调休安排公布后由管理员补充）', 0),
    ('2027-05-02', 'holiday', '劳动节', '《全国年节及纪念日放假办法》法定假日（2027 年调休安排公布后由管理员补充）', 0),
    ('2027-06-09', 'holiday', '端午节', '《全国年节及纪念日放假办法》法定假日（2027 年调休安排公布后由管理员补充）', 0),
    ('2027-09-15', 'holiday', '中秋节', '《全国年节及纪念日放假办法》法定假日（2027 年调休安排公布后由管理员补充）', 0),
    ('2027-10-01', 'holiday', '国庆节', '《全国年节及纪念日放假办法》法定假日（2027 年调休安排公布后由管理员补充）', 0),
    ('2027-10-02', 'holiday', '国庆节', '《全国年节及纪念日放假办法》法定假日（2027 年调休安排公布后由管理员补充）', 0),
    ('2027-10-03', 'holiday', '国庆节', '《全国年节及纪念日放假办法》法定假日（2027 年调休安排公布后由管理员补充）', 0);

-- Service items (政务服务事项). Each save is a new version holding the whole item (guide,
-- materials and form definition) as JSON; versions are never changed, and an application keeps
-- the version it was made under. An item shows the version it published, if any.
CREATE TABLE service_items (
    id                INTEGER PRIMARY KEY NOT NULL,
    code              TEXT NOT NULL UNIQUE,
    department_code   TEXT NOT NULL,
    latest_version    BIGINT NOT NULL,
    published_version BIGINT,
    featured_rank     BIGINT,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL
);
CREATE INDEX service_items_department ON service_items (department_code);

CREATE TABLE service_item_versions (
    item_id    BIGINT NOT NULL REFERENCES service_items (id),
    version    BIGINT NOT NULL,
    name_zh    TEXT NOT NULL,
    content    TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by BIGINT,
    PRIMARY KEY (item_id, version)
);

-- Who saved, published and unpublished what (staff_id NULL: loaded from the city profile).
CREATE TABLE service_item_events (
    id         INTEGER PRIMARY KEY NOT NULL,
    at         BIGINT NOT NULL,
    item_id    BIGINT NOT NULL,
    version    BIGINT NOT NULL,
    action     TEXT NOT NULL CHECK (action IN ('saved', 'published', 'unpublished')),
    staff_id   BIGINT,
    request_id TEXT NOT NULL
);
CREATE INDEX service_item_events_item ON service_item_events (item_id, at);

CREATE TRIGGER service_item_versions_no_update BEFORE UPDATE ON service_item_versions
BEGIN
    SELECT RAISE(ABORT, 'a saved version of a service item never changes');
END;
CREATE TRIGGER service_item_versions_no_delete BEFORE DELETE ON service_item_versions
BEGIN
    SELECT RAISE(ABORT, 'a saved version of a service item never changes');
END;
CREATE TRIGGER service_item_events_no_update BEFORE UPDATE ON service_item_events
BEGIN
    SELECT RAISE(ABORT, 'service_item_events is append-only');
END;
CREATE TRIGGER service_item_events_no_delete BEFORE DELETE ON service_item_events
BEGIN
    SELECT RAISE(ABORT, 'service_item_events is append-only');
END;

-- A database of schema 5, as partake (commit e0162d9) left it: a unit, a
-- service, seven cases taken in one by one and in a batch, six of them with
-- attachments recorded by path (the same file for two cases, a URL), one
-- routed, one answered, their events with record digests (hash form 4),
-- the outbox. The files were in a folder that the dump names @FILES@: the
-- test puts its own folder there, with the files of tests/data/schema5-files
-- (letter.pdf, photo.jpg, notes.txt, big.pdf, program.exe; gone.pdf is left
-- out, as a file deleted since). tests/4430-migrate-5.t moves it to schema 6.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE unit (  id INTEGER PRIMARY KEY,  code TEXT NOT NULL UNIQUE,  name TEXT NOT NULL,  email TEXT, phone TEXT,  parent_id INTEGER REFERENCES unit(id));
INSERT INTO unit VALUES(1,'permits','واحد صدور پروانه','permits@agency.example.ir',NULL,NULL);
CREATE TABLE service (  id INTEGER PRIMARY KEY,  code TEXT NOT NULL UNIQUE,  name TEXT NOT NULL,  unit_id INTEGER REFERENCES unit(id),  deadline_days INTEGER CHECK (deadline_days BETWEEN 0 AND 365),  steps TEXT, documents TEXT, fees TEXT, duration TEXT,  legal_basis TEXT, how_to_complain TEXT);
INSERT INTO service VALUES(1,'building-permit','صدور پروانه ساختمانی',1,15,NULL,NULL,NULL,NULL,NULL,NULL);
CREATE TABLE cases (  id INTEGER PRIMARY KEY,  code INTEGER NOT NULL UNIQUE,  kind TEXT NOT NULL,  channel TEXT NOT NULL,  service_id INTEGER REFERENCES service(id),  unit_id INTEGER REFERENCES unit(id),  state TEXT NOT NULL DEFAULT 'new',  subject TEXT NOT NULL,  body TEXT,  name TEXT, phone TEXT, email TEXT, national_id TEXT,  anonymous INTEGER NOT NULL DEFAULT 0,  received INTEGER NOT NULL,  due INTEGER,  answered INTEGER, closed INTEGER,  outcome TEXT, action TEXT, answer TEXT);
INSERT INTO cases VALUES(1,161352266651,'complaint','portal',1,1,'answered','تأخیر در صدور پروانه',NULL,'مریم احمدی','09121112233',NULL,NULL,0,1795334400,1796814000,1795590000,NULL,'accepted',NULL,'پروانه صادر شد');
INSERT INTO cases VALUES(2,138544544519,'violation','sms',NULL,NULL,'new','سد معبر',NULL,NULL,NULL,NULL,NULL,1,1795338000,1796295600,NULL,NULL,NULL,NULL,NULL);
INSERT INTO cases VALUES(3,591350170860,'request','desk',NULL,1,'routed','قطعی آب',NULL,NULL,NULL,'a@example.ir',NULL,0,1795413600,1796468400,NULL,NULL,NULL,NULL,NULL);
INSERT INTO cases VALUES(4,392909882107,'suggestion','other',NULL,NULL,'new','نوبت‌دهی',NULL,NULL,NULL,NULL,NULL,1,1795413600,1796468400,NULL,NULL,NULL,NULL,NULL);
INSERT INTO cases VALUES(5,437342415387,'complaint','other',NULL,NULL,'new','پرونده حجیم',NULL,NULL,'09351112233',NULL,NULL,0,1795413600,1796468400,NULL,NULL,NULL,NULL,NULL);
INSERT INTO cases VALUES(6,439940826867,'violation','other',NULL,NULL,'new','برنامه',NULL,NULL,NULL,NULL,NULL,0,1795413600,1796468400,NULL,NULL,NULL,NULL,NULL);
INSERT INTO cases VALUES(7,891832557658,'feedback','other',NULL,NULL,'new','سپاس',NULL,NULL,NULL,NULL,NULL,0,1795413600,NULL,NULL,NULL,NULL,NULL,NULL);
CREATE TABLE attachment (  case_id INTEGER NOT NULL REFERENCES cases(id),  path TEXT NOT NULL);
INSERT INTO attachment VALUES(1,'@FILES@/letter.pdf');
INSERT INTO attachment VALUES(1,'@FILES@/photo.jpg');
INSERT INTO attachment VALUES(2,'@FILES@/letter.pdf');
INSERT INTO attachment VALUES(2,'https://example.ir/map.png');
INSERT INTO attachment VALUES(3,'@FILES@/notes.txt');
INSERT INTO attachment VALUES(4,'@FILES@/gone.pdf');
INSERT INTO attachment VALUES(5,'@FILES@/big.pdf');
INSERT INTO attachment VALUES(6,'@FILES@/program.exe');
PRAGMA writable_schema=ON;
INSERT INTO sqlite_schema(type,name,tbl_name,rootpage,sql)VALUES('table','case_text','case_text',0,'CREATE VIRTUAL TABLE case_text USING fts5(  subject, body, content='''', tokenize=''unicode61 remove_diacritics 2'')');
CREATE TABLE IF NOT EXISTS 'case_text_data'(id INTEGER PRIMARY KEY, block BLOB);
INSERT INTO case_text_data VALUES(1,X'');
INSERT INTO case_text_data VALUES(10,X'00000000000000');
CREATE TABLE IF NOT EXISTS 'case_text_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS 'case_text_docsize'(id INTEGER PRIMARY KEY, sz BLOB);
CREATE TABLE IF NOT EXISTS 'case_text_config'(k PRIMARY KEY, v) WITHOUT ROWID;
INSERT INTO case_text_config VALUES('version',4);
CREATE TABLE case_text_state (indexed_upto INTEGER NOT NULL);
INSERT INTO case_text_state VALUES(0);
CREATE TABLE service_faq (  id INTEGER PRIMARY KEY,  service_id INTEGER NOT NULL REFERENCES service(id),  question TEXT NOT NULL,  answer TEXT NOT NULL);
CREATE TABLE review_opinion (  case_id INTEGER NOT NULL REFERENCES cases(id),  member TEXT NOT NULL,  opinion TEXT NOT NULL CHECK (opinion IN ('approve', 'reject', 'abstain')),  note TEXT,  at INTEGER NOT NULL,  PRIMARY KEY (case_id, member));
CREATE TABLE overdue_notice (  case_id INTEGER NOT NULL REFERENCES cases(id),  level INTEGER NOT NULL CHECK (level > 0),  at INTEGER NOT NULL,  PRIMARY KEY (case_id, level));
CREATE TABLE outbox (  id INTEGER PRIMARY KEY,  case_id INTEGER REFERENCES cases(id),  channel TEXT NOT NULL CHECK (channel IN ('sms', 'email')),  recipient TEXT NOT NULL,  subject TEXT,  body TEXT NOT NULL,  key TEXT NOT NULL UNIQUE,  created INTEGER NOT NULL,  attempts INTEGER NOT NULL DEFAULT 0,  next_try INTEGER NOT NULL,  sent INTEGER,  last_error TEXT, state TEXT NOT NULL DEFAULT 'queued'  CHECK (state = 'queued' OR state = 'sending' OR state = 'sent' OR state = 'failed'  OR state = 'cancelled'), claimed_by TEXT, claimed_until INTEGER, unit_id INTEGER REFERENCES unit(id), html TEXT);
INSERT INTO outbox VALUES(1,1,'sms','09121112233',NULL,replace('شهروند گرامی، درخواست شما ثبت شد.\nکد پیگیری: ۱۶۱۳-۵۲۲۶-۶۶۵۱\nمهلت پاسخ: ۱۴۰۵-۰۹-۱۸ ۱۴:۳۰','\n',char(10)),'notice:000000000003',1795334400,0,1795334400,NULL,NULL,'queued',NULL,NULL,NULL,NULL);
INSERT INTO outbox VALUES(2,1,'email','permits@agency.example.ir','ارجاع شکایت 1613-5226-6651: تأخیر در صدور پروانه',replace('واحد صدور پروانه گرامی،\n\nدرخواست 1613-5226-6651 (شکایت) برای رسیدگی به شما ارجاع شد.\nموضوع: تأخیر در صدور پروانه\nمهلت پاسخ: 1405-09-18 14:30\n\nاین پیام خودکار است؛ پاسخ را با pcase-answer ثبت کنید.','\n',char(10)),'unit-notice:000000000004',1795334400,0,1795334400,NULL,NULL,'queued',NULL,NULL,1,NULL);
INSERT INTO outbox VALUES(3,3,'email','a@example.ir','دریافت درخواست شما - کد پیگیری ۵۹۱۳-۵۰۱۷-۰۸۶۰',replace('شهروند گرامی، درخواست شما ثبت شد.\nکد پیگیری: ۵۹۱۳-۵۰۱۷-۰۸۶۰\nمهلت پاسخ: ۱۴۰۵-۰۹-۱۴ ۱۴:۳۰','\n',char(10)),'notice:000000000006',1795413600,0,1795413600,NULL,NULL,'queued',NULL,NULL,NULL,NULL);
INSERT INTO outbox VALUES(4,3,'email','permits@agency.example.ir','ارجاع درخواست 5913-5017-0860: قطعی آب',replace('واحد صدور پروانه گرامی،\n\nدرخواست 5913-5017-0860 (درخواست) برای رسیدگی به شما ارجاع شد.\nموضوع: قطعی آب\nمهلت پاسخ: 1405-09-14 14:30\n\nاین پیام خودکار است؛ پاسخ را با pcase-answer ثبت کنید.','\n',char(10)),'unit-notice:000000000007',1795413600,0,1795413600,NULL,NULL,'queued',NULL,NULL,1,NULL);
INSERT INTO outbox VALUES(5,5,'sms','09351112233',NULL,replace('شهروند گرامی، درخواست شما ثبت شد.\nکد پیگیری: ۴۳۷۳-۴۲۴۱-۵۳۸۷\nمهلت پاسخ: ۱۴۰۵-۰۹-۱۴ ۱۴:۳۰','\n',char(10)),'notice:000000000009',1795413600,0,1795413600,NULL,NULL,'queued',NULL,NULL,NULL,NULL);
INSERT INTO outbox VALUES(6,1,'sms','09121112233',NULL,'به درخواست ۱۶۱۳-۵۲۲۶-۶۶۵۱ پاسخ داده شد. پاسخ را با کد پیگیری ببینید:','notice:000000000013',1795590000,0,1795590000,NULL,NULL,'queued',NULL,NULL,NULL,NULL);
CREATE TABLE IF NOT EXISTS "event" (  id INTEGER PRIMARY KEY,  subject_kind TEXT NOT NULL,  subject_id INTEGER NOT NULL,  subject TEXT NOT NULL,  at INTEGER NOT NULL,  who TEXT NOT NULL,  what TEXT NOT NULL,  before TEXT, after TEXT, note TEXT,  hash BLOB NOT NULL,  hash_form INTEGER NOT NULL DEFAULT 3, record_digest BLOB, outbox_upto INTEGER, outbox_digest BLOB);
INSERT INTO event VALUES(1,'unit',1,'permits',1795334400,'clerk','add',NULL,'{"code":"permits","name":"واحد صدور پروانه","email":"permits@agency.example.ir","phone":null,"parent":null}',NULL,X'e8ba22b29e02a1761dea75a50c8d5f87b85c099dc2cb873dc649ef512c2473a7',4,X'4d5cd9cbe2aa8b1a34b3e4727450ebf46954dbc4a5976bd26dfbc322e577ed79',0,NULL);
INSERT INTO event VALUES(2,'service',1,'building-permit',1795334400,'clerk','add',NULL,'{"code":"building-permit","name":"صدور پروانه ساختمانی","unit":"permits","deadline":15,"steps":null,"documents":null,"fees":null,"duration":null,"legal_basis":null,"how_to_complain":null}',NULL,X'f37bbc3d27ea517c98abfc3fa21c06b25f308ccf08e9902de8b5d4cc8fef3406',4,X'd3bbdb269a32d80af41e5290991d2e5352a1f44cb88ae9248adae66537234ffe',0,NULL);
INSERT INTO event VALUES(3,'case',1,'161352266651',1795334400,'clerk','received',NULL,'new','portal',X'87d26d5eb210ae38d379aaff4da422a7284d03d605d67a033aec06e9dd73987c',4,X'1f39bda79f8e208ba88f372569d15fd21610ba5244843b5c3fc44742ca0bf4f2',0,NULL);
INSERT INTO event VALUES(4,'case',1,'161352266651',1795334400,'clerk','route','new','routed','permits',X'c47e0532d6f56628d2711d2b2bceb2e13acee4c13d2144cbfe2d5bae4a57b382',4,X'1f39bda79f8e208ba88f372569d15fd21610ba5244843b5c3fc44742ca0bf4f2',1,X'2db1192a51b66181171c2fd46c94633a6f1dca5a5666edd94b049d88b05eed2d');
INSERT INTO event VALUES(5,'case',2,'138544544519',1795338000,'clerk','received',NULL,'new','sms',X'045054ecd1d6063a58b96dfea97c60df25524d193cdf0e9bb5b5c28c92c02482',4,X'b61c8be0efb00d743c7e73862cc8e76f5103c8cb93e1f21dd98985e22380e975',2,X'747d1ef585339063ac19b48736aee1b826f9793ea0068d0333433a2ba3898cc1');
INSERT INTO event VALUES(6,'case',3,'591350170860',1795413600,'clerk','received',NULL,'new','desk',X'49f70b4a6e08db2655d10279baf840ddc91628d3879bd44b9ebf6471ec103afe',4,X'2ba0fdeffce424666a5a6c6ec8c30a79b2352ad62a8e2397905de6cddeb22115',2,NULL);
INSERT INTO event VALUES(7,'case',3,'591350170860',1795413600,'clerk','route','new','routed','permits',X'e02d7f009e55cb10eecb685d6c53a50fe9656faa21f361beec186e020c2e534f',4,X'2ba0fdeffce424666a5a6c6ec8c30a79b2352ad62a8e2397905de6cddeb22115',3,X'9167b6494178d88c184c849d1d61de50145a21719d0b79c0133525c280f1281e');
INSERT INTO event VALUES(8,'case',4,'392909882107',1795413600,'clerk','received',NULL,'new','other',X'3c09492ffa81f815d4907963ba2dda1899355241d3766deeacd2877e2c09bb37',4,X'1f681d84c2f5f00b86b60459b2c1e32bd4a53671cc6f59dc5da1b0d7c5050210',4,X'c899551d83b6b6d438fd30075ec31ef41ca5d0daeca8042dd38994c760e7993d');
INSERT INTO event VALUES(9,'case',5,'437342415387',1795413600,'clerk','received',NULL,'new','other',X'95139587820976c79878d35e6c64918565fe9c3a28b56a150a0d56173f67567e',4,X'be5a08b222b19a0a3f138f35699551a3ace85a34cfe0b508439dc6a6aa2f09b8',4,NULL);
INSERT INTO event VALUES(10,'case',6,'439940826867',1795413600,'clerk','received',NULL,'new','other',X'9a07f74326c72cbcf44f82da6f5113e3c52b2473721412319130219a5e0e1749',4,X'601270c8a6e0a5b1f2634534bd2c43320ad7a12ac04a82c6041a44b7a8a60757',5,X'3468ffb99375fa40bf8ab36743b177dd9a17963daed1e22c0371746fbb75f30f');
INSERT INTO event VALUES(11,'case',7,'891832557658',1795413600,'clerk','received',NULL,'new','other',X'de1fb9bbf3f933fcb8f7376bbb0cdb4ad781b00c29e9fb383d99aa8b1a13198d',4,X'1df93cd567035084e63cc0b304ff6ad57a1091419ee551ef4f3cbc339e9da735',5,NULL);
INSERT INTO event VALUES(12,'case',1,'161352266651',1795503600,'clerk','state','routed','in-progress','بررسی',X'18b2e83b6a125d2270ea695b7ee9da806a755f75bf3289a4296fb66645fea28f',4,X'69c52184d02231ce86667ae0e6f19e4d114de3eb462efec0308f01a504dd9b02',5,NULL);
INSERT INTO event VALUES(13,'case',1,'161352266651',1795590000,'clerk','answer','in-progress','answered','accepted',X'2b75ba233a2e680114fa3d8b19a6a7a82eb493917de9b7e5275bccce6ea33acd',4,X'c44406a1d6b29100f5716376ab3feb174478b87ecdd30209deef56d127b66c1b',5,NULL);
CREATE TABLE opt_out (  address TEXT PRIMARY KEY,  at INTEGER NOT NULL,  note TEXT);
CREATE INDEX attachment_case ON attachment(case_id);
CREATE INDEX cases_unit ON cases(unit_id);
CREATE INDEX cases_state_due ON cases(state, due);
CREATE INDEX event_subject ON event(subject_id);
CREATE TRIGGER event_no_update BEFORE UPDATE ON event  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER event_no_delete BEFORE DELETE ON event  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE INDEX outbox_due ON outbox(next_try) WHERE state IN ('queued', 'sending');
PRAGMA writable_schema=OFF;
COMMIT;
PRAGMA user_version = 5;

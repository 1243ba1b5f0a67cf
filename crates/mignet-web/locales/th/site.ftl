# ถ้อยคำของเว็บไซต์สาธารณะเป็นภาษาไทย ข้อความแต่ละรายการใช้รหัสเดียวกับ en/site.ftl
# The public site's words in Thai: each message has the id it has in en/site.ftl.

language-name = ไทย

## Layout
meta-description = ผลการดำเนินงานของเครือข่ายด้านการย้ายถิ่น: สิ่งที่สมาชิกรายงานและผู้ประสานงานอนุมัติ ทุกตัวเลขสืบย้อนไปยังผู้รายงานได้
skip-to-content = ข้ามไปยังเนื้อหา
nav-main = เมนูหลัก
nav-overview = ภาพรวม
nav-indicators = ตัวชี้วัด
nav-sources = แหล่งข้อมูล
nav-pledges = คำมั่น
nav-groups = คณะทำงาน
nav-gcm = GCM
nav-sdg = SDG
nav-downloads = ดาวน์โหลด
nav-editions = ฉบับเผยแพร่
nav-review = ตรวจทาน
nav-framework = กรอบผลลัพธ์
nav-accounts = บัญชีผู้ใช้
nav-your-figures = ตัวเลขของท่าน
nav-approve = อนุมัติ
nav-messages = ข้อความ
search-site = ค้นหาในเว็บไซต์
search-placeholder = ค้นหา
search-button = ค้นหา
sign-in = เข้าสู่ระบบ
sign-out = ออกจากระบบ
language-switch = ภาษา
footer = ตัวเลขทั้งหมดรายงานโดยสมาชิกของเครือข่ายและได้รับการอนุมัติจากผู้ประสานงาน ทุกตัวเลขเชื่อมโยงไปยังผู้รายงาน

## Overview
period-label = รอบการรายงาน
show = แสดง
read-highlights = อ่านรายงานสรุปผล { $period }
sources-and-notes = แหล่งข้อมูลและหมายเหตุ
edition-note = ผลลัพธ์ฉบับที่ { $number } เผยแพร่เมื่อ
edition-files = ไฟล์ของฉบับนี้
edition-files-errata = ไฟล์และรายการแก้ไขของฉบับนี้
period-open = การรายงานของ { $period } ยังดำเนินอยู่ ตัวเลขเหล่านี้ยังไม่ใช่ตัวเลขสุดท้าย
period-unpublished = ยังไม่เผยแพร่ { $period } อยู่ระหว่างการจัดทำ และตัวเลขอาจยังเปลี่ยนแปลงได้
headline-results = ผลลัพธ์สำคัญ
people-reached = จำนวนผู้ที่ได้รับความช่วยเหลือ
where-delivered = พื้นที่ที่ดำเนินงาน
map-shaded = พื้นที่แรเงาคือพื้นที่ที่เครือข่ายดำเนินงาน ผลลัพธ์ส่วนใหญ่เป็นระดับประเทศและไม่ระบุพื้นที่
places-listed = พื้นที่ที่เครือข่ายดำเนินงาน ผลลัพธ์ส่วนใหญ่เป็นระดับประเทศและไม่ระบุพื้นที่
no-places = ไม่มีผลลัพธ์ของ { $period } ที่ระบุพื้นที่ ทั้งหมดเป็นระดับประเทศ
map-label = พื้นที่ที่ดำเนินงานตามตัวเลขที่อนุมัติแล้วของ { $period }
map-alt = แผนที่{ $of } { $label } พื้นที่แรเงา: { $areas }
map-alt-none = แผนที่{ $of } { $label }: ไม่มี
map-area-figures = { $name } ({ $code }): ตัวเลข { $count } รายการ
priority-number = ประเด็นสำคัญที่ { $number }
including = ในจำนวนนี้ { $part } { $value }
no-figures-outcome = ยังไม่มีตัวเลขสำหรับผลลัพธ์นี้ใน { $period }
member-organisations = องค์กรสมาชิก
reported-in = รายงานใน { $period }

chart-people-title = จำนวนผู้ที่ได้รับความช่วยเหลือสูงสุดใน { $period } ตามตัวเลขที่อนุมัติแล้ว

## Figure statuses
status-draft = ฉบับร่าง
status-submitted = ส่งตรวจทานแล้ว
status-returned = ส่งกลับให้แก้ไข
status-approved = อนุมัติแล้ว

## Indicator kinds
kind-count = จำนวนนับ
kind-milestone = หมุดหมาย
kind-percentage = ร้อยละ

## Indicators
title-indicators = ตัวชี้วัด
indicators-caption = ตัวชี้วัดของกรอบผลลัพธ์ พร้อมจำนวนตัวเลขที่ท่านเห็นได้ของแต่ละตัวชี้วัด
col-code = รหัส
col-indicator = ตัวชี้วัด
col-unit = หน่วย
col-figures = ตัวเลข

## One indicator
indicator-code = ตัวชี้วัด { $code }
outcome-code = ผลลัพธ์ { $code }
fact-unit = หน่วย
fact-kind = ประเภท
fact-parts = จำแนกย่อย
fact-places = พื้นที่
fact-gcm = วัตถุประสงค์ของ GCM
fact-sdg = เป้าหมายย่อยของ SDG
fact-baseline = ค่าฐาน
fact-targets = ค่าเป้าหมาย
target-in = { $value } ใน { $period }
cumulative = สะสม
progress-heading = ความก้าวหน้าเทียบกับค่าเป้าหมาย
progress-chart-title = ความก้าวหน้าเทียบกับค่าเป้าหมาย: { $indicator } ตัวเลขที่อนุมัติแล้วในแต่ละรอบ (แท่ง) และค่าเป้าหมายของรอบนั้น (ขีด)
progress-chart-caption = ตัวเลขที่อนุมัติแล้วในแต่ละรอบ (แท่ง) และค่าเป้าหมายของรอบนั้น (ขีด)
progress-caption = จากค่าฐานถึงรอบล่าสุด ตามตัวเลขที่อนุมัติแล้ว
col-period = รอบการรายงาน
col-reported = ที่รายงาน
col-target = ค่าเป้าหมาย
col-percent-of-target = ร้อยละของค่าเป้าหมาย
col-progress = ความก้าวหน้า
target-by = ภายใน { $period } (สะสม)
figures-by-period = ตัวเลขตามรอบการรายงานและองค์กร
col-figure = ตัวเลข
col-value = ค่า
col-organisations = องค์กร
col-status = สถานะ
jointly = รายงานร่วมกัน: { $method }
no-figures-yet = ยังไม่มีตัวเลข

## One figure
figure-kicker = ตัวเลข { $id }
indicator-link = ตัวชี้วัด { $code }
fact-reported-by = รายงานโดย
joint-counted-once = ตัวเลขร่วมหนึ่งรายการ นับเพียงครั้งเดียว
fact-joint-value = ค่าร่วม
fact-of-which = ในจำนวนนี้ { $part }
fact-sites = สถานที่
fact-locations = จุดดำเนินงาน
fact-note = หมายเหตุ
fact-evidence = หลักฐาน
evidence-none = ไม่ได้ระบุ
fact-footnote = เชิงอรรถ
fact-status = สถานะ
status-on = เมื่อ { $date }
in-the-highlights = ในรายงานสรุปผล

## Sources
title-sources = แหล่งข้อมูลและหมายเหตุ — { $period }
context-statistics = สถิติประกอบ
statistics-caption = ตัวเลขจากนอกเครือข่าย พร้อมผู้เผยแพร่
col-statistic = สถิติ
col-source = แหล่งที่มา
col-as-of = ณ วันที่
computed-figures = ตัวเลขที่คำนวณ
computed-intro = ตัวเลขเหล่านี้คำนวณจากตัวเลขและสถิติข้างต้น ไม่มีตัวเลขใดที่พิมพ์เข้าไปเอง
cannot-compute = ไม่สามารถคำนวณได้จากตัวเลขที่เปิดเผยต่อสาธารณะ
computed-from = คำนวณจาก:
published-sentence = ข้อความที่เผยแพร่:
footnotes = เชิงอรรถ

## Pledges
title-pledges = คำมั่นของรัฐบาล
verbatim = ถ้อยคำตามต้นฉบับ
paraphrased = ถอดความ
concerns = เกี่ยวข้องกับ
priority-code = ประเด็นสำคัญ { $code }
follow-up = การติดตามผล:
follow-up-figures = ตัวเลขที่อนุมัติแล้ว { $count } รายการใน { $period }
under-priorities = ภายใต้ประเด็นสำคัญเหล่านี้

## Working groups
title-groups = คณะทำงานย่อย
fact-established = จัดตั้งเมื่อ
fact-group-status = สถานะ
renamed-to = เปลี่ยนชื่อเป็น { $name }
renamed-in = ใน { $year }
group-active = ดำเนินงานอยู่
group-renamed = เปลี่ยนชื่อแล้ว
group-closed = ยุติแล้ว
fact-co-chairs = ประธานร่วม
fact-secretariat = ฝ่ายเลขานุการ
fact-members = สมาชิก

## GCM and SDG
title-gcm = ตามวัตถุประสงค์ของ GCM
title-sdg = ตามเป้าหมายย่อยของ SDG
scheme-gcm = วัตถุประสงค์ของ GCM
scheme-sdg = เป้าหมายย่อยของ SDG
figure-in = ใน { $period }

## Search
title-search = ค้นหา
search-again = ค้นหาอีกครั้ง
search-label = ค้นหาตัวชี้วัด ผลลัพธ์ องค์กร คำมั่น คณะทำงาน และรายงานสรุปผล
search-count = พบ { $count } รายการ
search-capped = (แสดง { $max } รายการแรก เพิ่มคำเพื่อจำกัดการค้นหา)
search-nothing = ไม่พบรายการที่ตรงกับ “{ $query }” ลองใช้คำน้อยลงหรือสะกดแบบอื่น
hit-indicator = ตัวชี้วัด
hit-figure = ผลลัพธ์
hit-organisation = องค์กร
hit-pledge = คำมั่น
hit-working_group = คณะทำงาน
hit-narrative = รายงานสรุปผล

## Downloads
title-downloads = ดาวน์โหลด
downloads-intro = ผลลัพธ์ของแต่ละรอบเป็นไฟล์ จัดทำจากฐานข้อมูลเมื่อท่านขอ
downloads-approved-only = ไฟล์รายงานสรุปผล HXL และ IATI มีเฉพาะตัวเลขที่อนุมัติแล้ว
downloads-sign-in = เข้าสู่ระบบเพื่อรับไฟล์ JSON และ Excel ซึ่งมีตัวเลขทุกรายการพร้อมสถานะ
downloads-editions = ไฟล์ตามที่เครือข่ายเผยแพร่ ซึ่งไม่มีการเปลี่ยนแปลง อยู่ใน
downloads-editions-link = ฉบับเผยแพร่
downloads-workbooks = แบบฟอร์มรายงาน: ดาวน์โหลด อัปโหลด
file-web = รายงานสรุปผล หน้าเว็บ
file-web-what = รายงานที่เผยแพร่: เฉพาะตัวเลขที่อนุมัติแล้ว
file-pdf = รายงานสรุปผล PDF
file-pdf-what = รายงานที่เผยแพร่: เฉพาะตัวเลขที่อนุมัติแล้ว
file-hxl = CSV พร้อมแท็ก HXL
file-hxl-what = ตัวเลขที่อนุมัติแล้ว รายการละหนึ่งแถว พร้อมแฮชแท็ก HXL
file-iati = IATI 2.03 XML
file-iati-what = ตัวเลขที่อนุมัติแล้วเป็นผลลัพธ์ของกิจกรรม กิจกรรมละหนึ่งประเด็นสำคัญ
file-json = JSON
file-json-what = ทั้งรอบการรายงาน ตัวเลขทุกรายการทุกสถานะ
file-xlsx = สมุดงาน Excel
file-xlsx-what = ตัวเลขทุกรายการทุกสถานะ พร้อมผู้กำหนดและเวลา

## Published editions
title-editions = ฉบับเผยแพร่
editions-intro = ฉบับเผยแพร่คือรายงานสรุปผลและไฟล์ข้อมูลของรอบการรายงานตามที่เครือข่ายเผยแพร่ ไฟล์จะไม่มีการเปลี่ยนแปลง การแก้ไขหลังเผยแพร่จะเป็นฉบับใหม่ซึ่งระบุสิ่งที่แก้ไข ค่าแฮชของเนื้อหา (SHA-256) ใช้ระบุไฟล์ของฉบับนั้นทั้งหมด
edition-number = ฉบับที่ { $number }
edition-latest = (ล่าสุด)
edition-published = เผยแพร่เมื่อ
edition-published-by = โดย { $who }
edition-hash = ค่าแฮชของเนื้อหา
edition-errata = รายการแก้ไข: สิ่งที่ฉบับนี้แก้ไข
edition-none = ยังไม่เผยแพร่ ตัวเลขอาจยังเปลี่ยนแปลงได้
edition-publish = เผยแพร่ { $period }
edition-publish-correction = เผยแพร่ฉบับแก้ไขของ { $period } (ฉบับที่ { $number })

## Pages of a long list
pages = หน้า
previous-page = หน้าก่อนหน้า
next-page = หน้าถัดไป
page-of = หน้า { $number } จาก { $pages }

## Errors
error-title-not-found = ไม่พบหน้านี้
error-title-forbidden = ไม่ได้รับอนุญาต
error-title-conflict = มีผู้อื่นเปลี่ยนแปลงแล้ว
error-title-too-many = พยายามหลายครั้งเกินไป
error-title-sign-in = เข้าสู่ระบบ
error-title-server = เกิดข้อผิดพลาด
error-title-refused = ไม่สามารถดำเนินการได้
error-help-not-found = ไม่มีเนื้อหาที่ที่อยู่นี้ อาจถูกย้ายไปแล้ว หรือลิงก์อาจพิมพ์ผิด
error-help-forbidden = บัญชีของท่านไม่ได้รับอนุญาตให้ดำเนินการนี้
error-help-conflict = มีผู้อื่นเปลี่ยนแปลงรายการนี้ระหว่างที่ท่านแก้ไข โปรดเปิดอีกครั้งเพื่อดูการเปลี่ยนแปลง
error-help-too-many = โปรดรอสักครู่แล้วลองอีกครั้ง
error-help-sign-in = โปรดเข้าสู่ระบบเพื่อดำเนินการต่อ
error-help-server = เซิร์ฟเวอร์ไม่สามารถตอบได้ โปรดลองอีกครั้งในอีกสักครู่
error-help-refused = ไม่สามารถดำเนินการตามคำขอนี้ได้ตามที่ส่งมา
error-search = ค้นหาในเว็บไซต์
back-to-overview = กลับไปหน้าภาพรวม

## Sign-in
email = อีเมล
password = รหัสผ่าน


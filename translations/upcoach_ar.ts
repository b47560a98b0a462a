<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ar">
<context>
    <name>AuditBanner</name>
    <message>
        <source>Verification failed: these events cannot be trusted</source>
        <translation>فشل التحقق: لا يمكن الوثوق بهذه الأحداث</translation>
    </message>
    <message>
        <source>Verifying the bundle%1</source>
        <translation>جارٍ التحقق من الحزمة%1</translation>
    </message>
    <message>
        <source>Not verified</source>
        <translation>لم يتم التحقق</translation>
    </message>
    <message>
        <source>Tenant %1</source>
        <translation>المستأجر %1</translation>
    </message>
    <message>
        <source>Platform events only</source>
        <translation>أحداث المنصة فقط</translation>
    </message>
    <message>
        <source>from %1</source>
        <translation>من %1</translation>
    </message>
    <message>
        <source>until %1</source>
        <translation>حتى %1</translation>
    </message>
    <message>
        <source>No events</source>
        <translation>لا توجد أحداث</translation>
    </message>
    <message>
        <source>Sequence %1 to %2, %3 to %4 (UTC)</source>
        <translation>التسلسل من %1 إلى %2، من %3 إلى %4 (UTC)</translation>
    </message>
    <message>
        <source>The events below are shown as read from the bundle. Do not rely on them; ask the operator for an intact export.</source>
        <translation>تُعرض الأحداث أدناه كما قُرئت من الحزمة. لا تعتمد عليها، واطلب من المشغّل تصديرًا سليمًا.</translation>
    </message>
    <message>
        <source>Checking signatures, tree-head consistency, inclusion and file hashes. The events below are not verified yet.</source>
        <translation>جارٍ فحص التواقيع واتساق رؤوس الشجرة والتضمين وبصمات الملفات. لم يُتحقق من الأحداث أدناه بعد.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln signed tree head(s), consistent; final size %1, root</source>
        <translation>
            <numerusform>لا رؤوس شجرة موقّعة؛ الحجم النهائي %1، الجذر</numerusform>
            <numerusform>رأس شجرة موقّع واحد، متسق؛ الحجم النهائي %1، الجذر</numerusform>
            <numerusform>رأسا شجرة موقّعان، متسقان؛ الحجم النهائي %1، الجذر</numerusform>
            <numerusform>%Ln رؤوس شجرة موقّعة، متسقة؛ الحجم النهائي %1، الجذر</numerusform>
            <numerusform>%Ln رأس شجرة موقّعًا، متسقة؛ الحجم النهائي %1، الجذر</numerusform>
            <numerusform>%Ln رأس شجرة موقّع، متسقة؛ الحجم النهائي %1، الجذر</numerusform>
        </translation>
    </message>
    <message>
        <source>Signer key SHA-256</source>
        <translation>مفتاح الموقّع SHA-256</translation>
    </message>
    <message>
        <source>matches the pinned fingerprint</source>
        <translation>يطابق البصمة المثبّتة</translation>
    </message>
    <message>
        <source>not pinned: compare it with the fingerprint the operator publishes</source>
        <translation>غير مثبّت: قارنه بالبصمة التي ينشرها المشغّل</translation>
    </message>
    <message>
        <source>Source: %1</source>
        <translation>المصدر: %1</translation>
    </message>
    <message numerus="yes">
        <source>Verified: %Ln event(s), the complete log</source>
        <translation>
            <numerusform>تم التحقق: لا أحداث، السجل الكامل</numerusform>
            <numerusform>تم التحقق: حدث واحد، السجل الكامل</numerusform>
            <numerusform>تم التحقق: حدثان، السجل الكامل</numerusform>
            <numerusform>تم التحقق: %Ln أحداث، السجل الكامل</numerusform>
            <numerusform>تم التحقق: %Ln حدثًا، السجل الكامل</numerusform>
            <numerusform>تم التحقق: %Ln حدث، السجل الكامل</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Verified: %Ln event(s), a filtered export</source>
        <translation>
            <numerusform>تم التحقق: لا أحداث، تصدير مُرشَّح</numerusform>
            <numerusform>تم التحقق: حدث واحد، تصدير مُرشَّح</numerusform>
            <numerusform>تم التحقق: حدثان، تصدير مُرشَّح</numerusform>
            <numerusform>تم التحقق: %Ln أحداث، تصدير مُرشَّح</numerusform>
            <numerusform>تم التحقق: %Ln حدثًا، تصدير مُرشَّح</numerusform>
            <numerusform>تم التحقق: %Ln حدث، تصدير مُرشَّح</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot read the audit events</source>
        <translation>تعذّرت قراءة أحداث التدقيق</translation>
    </message>
</context>
<context>
    <name>AuditDetailPane</name>
    <message>
        <source>Waiting for the bundle&apos;s verification%1</source>
        <translation>بانتظار التحقق من الحزمة%1</translation>
    </message>
    <message>
        <source>Computing the inclusion proof%1</source>
        <translation>جارٍ حساب إثبات التضمين%1</translation>
    </message>
    <message>
        <source>Included: the proof verifies against the final signed tree head</source>
        <translation>مُضمَّن: الإثبات صحيح مقابل آخر رأس شجرة موقّع</translation>
    </message>
    <message>
        <source>The proof does not verify</source>
        <translation>الإثبات غير صحيح</translation>
    </message>
    <message>
        <source>No proof: the bundle failed verification, so none of its tree heads can be trusted</source>
        <translation>لا إثبات: فشل التحقق من الحزمة، فلا يمكن الوثوق بأي من رؤوس شجرتها</translation>
    </message>
    <message>
        <source>Not yet covered by a signed tree head</source>
        <translation>لم يشمله رأس شجرة موقّع بعد</translation>
    </message>
    <message>
        <source>No inclusion proof available</source>
        <translation>لا يتوفر إثبات تضمين</translation>
    </message>
    <message>
        <source>Select an event to see all its fields and its inclusion proof.</source>
        <translation>اختر حدثًا لعرض جميع حقوله وإثبات تضمينه.</translation>
    </message>
    <message>
        <source>Event %1</source>
        <translation>الحدث %1</translation>
    </message>
    <message>
        <source>This event cannot be read: %1</source>
        <translation>تعذّرت قراءة هذا الحدث: %1</translation>
    </message>
    <message>
        <source>Time (UTC)</source>
        <translation>الوقت (UTC)</translation>
    </message>
    <message>
        <source>Actor</source>
        <translation>المنفّذ</translation>
    </message>
    <message>
        <source>Impersonator</source>
        <translation>المنفّذ الفعلي</translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation>المستأجر</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>الإجراء</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>الهدف</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>النتيجة</translation>
    </message>
    <message>
        <source>Classification</source>
        <translation>التصنيف</translation>
    </message>
    <message>
        <source>Source IP</source>
        <translation>عنوان IP المصدر</translation>
    </message>
    <message>
        <source>Request ID</source>
        <translation>معرّف الطلب</translation>
    </message>
    <message>
        <source>Event ID</source>
        <translation>معرّف الحدث</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>التفاصيل</translation>
    </message>
    <message>
        <source>Inclusion proof</source>
        <translation>إثبات التضمين</translation>
    </message>
    <message>
        <source>Leaf index</source>
        <translation>فهرس الورقة</translation>
    </message>
    <message>
        <source>Leaf hash</source>
        <translation>بصمة الورقة</translation>
    </message>
    <message>
        <source>Tree size</source>
        <translation>حجم الشجرة</translation>
    </message>
    <message>
        <source>Root hash</source>
        <translation>بصمة الجذر</translation>
    </message>
    <message numerus="yes">
        <source>Audit path, deepest first (%Ln hash(es))</source>
        <translation>
            <numerusform>مسار التدقيق، الأعمق أولًا (لا بصمات)</numerusform>
            <numerusform>مسار التدقيق، الأعمق أولًا (بصمة واحدة)</numerusform>
            <numerusform>مسار التدقيق، الأعمق أولًا (بصمتان)</numerusform>
            <numerusform>مسار التدقيق، الأعمق أولًا (%Ln بصمات)</numerusform>
            <numerusform>مسار التدقيق، الأعمق أولًا (%Ln بصمة)</numerusform>
            <numerusform>مسار التدقيق، الأعمق أولًا (%Ln بصمة)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AuditFilterBar</name>
    <message>
        <source>Search actor, target, action, request ID, IP address, details%1</source>
        <translation>ابحث في المنفّذ والهدف والإجراء ومعرّف الطلب وعنوان IP والتفاصيل%1</translation>
    </message>
    <message>
        <source>From YYYY-MM-DD hh:mm</source>
        <translation>من YYYY-MM-DD hh:mm</translation>
    </message>
    <message>
        <source>Until YYYY-MM-DD hh:mm</source>
        <translation>حتى YYYY-MM-DD hh:mm</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>مسح عوامل التصفية</translation>
    </message>
    <message>
        <source>Export CSV%1</source>
        <translation>تصدير CSV%1</translation>
    </message>
    <message>
        <source>Actor contains%1</source>
        <translation>المنفّذ يحتوي على%1</translation>
    </message>
    <message>
        <source>All tenants</source>
        <translation>كل المستأجرين</translation>
    </message>
    <message>
        <source>Tenant (exact)</source>
        <translation>المستأجر (مطابقة تامة)</translation>
    </message>
    <message>
        <source>All actions</source>
        <translation>كل الإجراءات</translation>
    </message>
    <message>
        <source>Action (exact)</source>
        <translation>الإجراء (مطابقة تامة)</translation>
    </message>
    <message>
        <source>Any outcome</source>
        <translation>أي نتيجة</translation>
    </message>
    <message>
        <source>Outcome (exact)</source>
        <translation>النتيجة (مطابقة تامة)</translation>
    </message>
    <message>
        <source>All classifications</source>
        <translation>كل التصنيفات</translation>
    </message>
    <message>
        <source>Classification (exact)</source>
        <translation>التصنيف (مطابقة تامة)</translation>
    </message>
</context>
<context>
    <name>AuditPage</name>
    <message>
        <source>Exporting%1 %2%</source>
        <translation>جارٍ التصدير%1 %2٪</translation>
    </message>
    <message numerus="yes">
        <source>Exported %Ln event(s) to %1</source>
        <translation>
            <numerusform>لم يُصدَّر أي حدث إلى %1</numerusform>
            <numerusform>صُدِّر حدث واحد إلى %1</numerusform>
            <numerusform>صُدِّر حدثان إلى %1</numerusform>
            <numerusform>صُدِّرت %Ln أحداث إلى %1</numerusform>
            <numerusform>صُدِّر %Ln حدثًا إلى %1</numerusform>
            <numerusform>صُدِّر %Ln حدث إلى %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>فشل التصدير: %1</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %Ln event(s) match</source>
        <translation>
            <numerusform>يطابق %1 من أصل %Ln حدث</numerusform>
            <numerusform>يطابق %1 من أصل حدث واحد</numerusform>
            <numerusform>يطابق %1 من أصل حدثين</numerusform>
            <numerusform>يطابق %1 من أصل %Ln أحداث</numerusform>
            <numerusform>يطابق %1 من أصل %Ln حدثًا</numerusform>
            <numerusform>يطابق %1 من أصل %Ln حدث</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln event(s)</source>
        <translation>
            <numerusform>لا أحداث</numerusform>
            <numerusform>حدث واحد</numerusform>
            <numerusform>حدثان</numerusform>
            <numerusform>%Ln أحداث</numerusform>
            <numerusform>%Ln حدثًا</numerusform>
            <numerusform>%Ln حدث</numerusform>
        </translation>
    </message>
    <message>
        <source>Export the filtered events as CSV</source>
        <translation>تصدير الأحداث المُرشَّحة بصيغة CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>ملفات CSV (*.csv)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>كل الملفات (*)</translation>
    </message>
</context>
<context>
    <name>AuditTable</name>
    <message>
        <source>No events could be read.</source>
        <translation>تعذّرت قراءة أي حدث.</translation>
    </message>
    <message>
        <source>Reading events%1</source>
        <translation>جارٍ قراءة الأحداث%1</translation>
    </message>
    <message>
        <source>Filtering%1</source>
        <translation>جارٍ التصفية%1</translation>
    </message>
    <message>
        <source>There are no events.</source>
        <translation>لا توجد أحداث.</translation>
    </message>
    <message>
        <source>No events match the filters.</source>
        <translation>لا توجد أحداث تطابق عوامل التصفية.</translation>
    </message>
    <message>
        <source># %1</source>
        <translation># %1</translation>
    </message>
    <message>
        <source>Time (UTC)</source>
        <translation>الوقت (UTC)</translation>
    </message>
    <message>
        <source>Actor</source>
        <translation>المنفّذ</translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation>المستأجر</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>الإجراء</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>النتيجة</translation>
    </message>
</context>
<context>
    <name>AuditTableRow</name>
    <message>
        <source>%1 (impersonated)</source>
        <translation>%1 (بالنيابة)</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>Regions</source>
        <translation>المناطق</translation>
    </message>
    <message>
        <source>Waiting for data</source>
        <translation>في انتظار البيانات</translation>
    </message>
    <message numerus="yes">
        <source>%Ln region(s) down</source>
        <translation>
            <numerusform>لا توجد مناطق متوقفة</numerusform>
            <numerusform>منطقة واحدة متوقفة</numerusform>
            <numerusform>منطقتان متوقفتان</numerusform>
            <numerusform>%Ln مناطق متوقفة</numerusform>
            <numerusform>%Ln منطقة متوقفة</numerusform>
            <numerusform>%Ln منطقة متوقفة</numerusform>
        </translation>
    </message>
    <message>
        <source>Partially reporting</source>
        <translation>بيانات جزئية</translation>
    </message>
    <message>
        <source>All regions operational</source>
        <translation>جميع المناطق تعمل</translation>
    </message>
    <message>
        <source>UpCoach Ops</source>
        <translation>UpCoach Ops</translation>
    </message>
    <message>
        <source>Audit</source>
        <translation>التدقيق</translation>
    </message>
    <message>
        <source>Verified</source>
        <translation>تم التحقق</translation>
    </message>
    <message>
        <source>Verification failed</source>
        <translation>فشل التحقق</translation>
    </message>
    <message>
        <source>Verifying</source>
        <translation>جارٍ التحقق</translation>
    </message>
    <message>
        <source>Not verified</source>
        <translation>لم يتم التحقق</translation>
    </message>
    <message>
        <source>Audit log unreadable</source>
        <translation>سجل التدقيق غير مقروء</translation>
    </message>
</context>
<context>
    <name>RegionCard</name>
    <message>
        <source>Not checked yet</source>
        <translation>لم تُفحص بعد</translation>
    </message>
    <message>
        <source>Up since %1</source>
        <translation>تعمل منذ %1</translation>
    </message>
    <message>
        <source>Down since %1</source>
        <translation>متوقفة منذ %1</translation>
    </message>
    <message>
        <source>Unknown since %1</source>
        <translation>غير معروفة منذ %1</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <comment>city, country</comment>
        <translation>%1، %2</translation>
    </message>
    <message>
        <source>Round trip</source>
        <translation>زمن الاستجابة</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>زمن الاتصال</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>الاتصالات</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>الدور</translation>
    </message>
    <message>
        <source>PostgreSQL</source>
        <translation>PostgreSQL</translation>
    </message>
    <message>
        <source>Database size</source>
        <translation>حجم قاعدة البيانات</translation>
    </message>
    <message>
        <source>The database did not answer.</source>
        <translation>لم تستجب قاعدة البيانات.</translation>
    </message>
    <message>
        <source>Checked %1</source>
        <translation>آخر فحص %1</translation>
    </message>
</context>
<context>
    <name>RegionsPage</name>
    <message>
        <source>Regions up</source>
        <translation>المناطق العاملة</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 من %2</translation>
    </message>
    <message>
        <source>Waiting for the first health check</source>
        <translation>في انتظار أول فحص للحالة</translation>
    </message>
    <message numerus="yes">
        <source>%Ln region(s) down</source>
        <translation>
            <numerusform>لا توجد مناطق متوقفة</numerusform>
            <numerusform>منطقة واحدة متوقفة</numerusform>
            <numerusform>منطقتان متوقفتان</numerusform>
            <numerusform>%Ln مناطق متوقفة</numerusform>
            <numerusform>%Ln منطقة متوقفة</numerusform>
            <numerusform>%Ln منطقة متوقفة</numerusform>
        </translation>
    </message>
    <message>
        <source>All regions healthy</source>
        <translation>جميع المناطق سليمة</translation>
    </message>
    <message>
        <source>Median round trip</source>
        <translation>وسيط زمن الاستجابة</translation>
    </message>
    <message>
        <source>Across the regions that are up</source>
        <translation>عبر المناطق العاملة</translation>
    </message>
    <message>
        <source>Slowest round trip</source>
        <translation>أبطأ زمن استجابة</translation>
    </message>
    <message>
        <source>Last health check</source>
        <translation>آخر فحص للحالة</translation>
    </message>
    <message numerus="yes">
        <source>%Ln region(s) not reporting</source>
        <translation>
            <numerusform>جميع المناطق ترسل البيانات</numerusform>
            <numerusform>منطقة واحدة لا ترسل البيانات</numerusform>
            <numerusform>منطقتان لا ترسلان البيانات</numerusform>
            <numerusform>%Ln مناطق لا ترسل البيانات</numerusform>
            <numerusform>%Ln منطقة لا ترسل البيانات</numerusform>
            <numerusform>%Ln منطقة لا ترسل البيانات</numerusform>
        </translation>
    </message>
    <message>
        <source>All regions reporting</source>
        <translation>جميع المناطق ترسل البيانات</translation>
    </message>
</context>
<context>
    <name>UcFormat</name>
    <message>
        <source>%1 ms</source>
        <translation>%1 م.ث</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>تعمل</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>متوقفة</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>غير معروفة</translation>
    </message>
    <message>
        <source>Primary</source>
        <translation>أساسية</translation>
    </message>
    <message>
        <source>Standby</source>
        <translation>احتياطية</translation>
    </message>
    <message>
        <source>Success</source>
        <translation>نجاح</translation>
    </message>
    <message>
        <source>Failure</source>
        <translation>إخفاق</translation>
    </message>
    <message>
        <source>Denied</source>
        <translation>مرفوض</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>المنصة</translation>
    </message>
</context>
</TS>

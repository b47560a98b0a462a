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
    <message>
        <source>Tenants</source>
        <translation>المستأجرون</translation>
    </message>
    <message>
        <source>Registry unreachable</source>
        <translation>السجل غير متاح</translation>
    </message>
    <message>
        <source>Registry connected</source>
        <translation>السجل متصل</translation>
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
    <name>RegionDatabaseView</name>
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
    <name>RegionsPage</name>
    <message>
        <source>No traffic data: %1</source>
        <translation>لا بيانات حركة: %1</translation>
    </message>
    <message>
        <source>Waiting for traffic data%1</source>
        <translation>في انتظار بيانات الحركة%1</translation>
    </message>
    <message>
        <source>%1 requests in the last minute%2updated %3</source>
        <translation>%1 طلب في الدقيقة الأخيرة%2حُدّث %3</translation>
    </message>
    <message>
        <source>Traffic</source>
        <translation>الحركة</translation>
    </message>
    <message>
        <source>Traffic policy</source>
        <translation>سياسة التوجيه</translation>
    </message>
    <message>
        <source>What if</source>
        <translation>ماذا لو</translation>
    </message>
    <message>
        <source>Databases</source>
        <translation>قواعد البيانات</translation>
    </message>
</context>
<context>
    <name>TenantConfirmDialog</name>
    <message numerus="yes">
        <source>Activate %Ln tenant(s)?</source>
        <translation>
            <numerusform>تفعيل لا مستأجرين؟</numerusform>
            <numerusform>تفعيل مستأجر واحد؟</numerusform>
            <numerusform>تفعيل مستأجرَين؟</numerusform>
            <numerusform>تفعيل %Ln مستأجرين؟</numerusform>
            <numerusform>تفعيل %Ln مستأجرًا؟</numerusform>
            <numerusform>تفعيل %Ln مستأجر؟</numerusform>
        </translation>
    </message>
    <message>
        <source>Activate %1?</source>
        <translation>تفعيل %1؟</translation>
    </message>
    <message numerus="yes">
        <source>Reactivate %Ln tenant(s)?</source>
        <translation>
            <numerusform>إعادة تفعيل لا مستأجرين؟</numerusform>
            <numerusform>إعادة تفعيل مستأجر واحد؟</numerusform>
            <numerusform>إعادة تفعيل مستأجرَين؟</numerusform>
            <numerusform>إعادة تفعيل %Ln مستأجرين؟</numerusform>
            <numerusform>إعادة تفعيل %Ln مستأجرًا؟</numerusform>
            <numerusform>إعادة تفعيل %Ln مستأجر؟</numerusform>
        </translation>
    </message>
    <message>
        <source>Reactivate %1?</source>
        <translation>إعادة تفعيل %1؟</translation>
    </message>
    <message numerus="yes">
        <source>Suspend %Ln tenant(s)?</source>
        <translation>
            <numerusform>تعليق لا مستأجرين؟</numerusform>
            <numerusform>تعليق مستأجر واحد؟</numerusform>
            <numerusform>تعليق مستأجرَين؟</numerusform>
            <numerusform>تعليق %Ln مستأجرين؟</numerusform>
            <numerusform>تعليق %Ln مستأجرًا؟</numerusform>
            <numerusform>تعليق %Ln مستأجر؟</numerusform>
        </translation>
    </message>
    <message>
        <source>Suspend %1?</source>
        <translation>تعليق %1؟</translation>
    </message>
    <message numerus="yes">
        <source>Cancel %Ln subscription(s)?</source>
        <translation>
            <numerusform>إلغاء لا اشتراكات؟</numerusform>
            <numerusform>إلغاء اشتراك واحد؟</numerusform>
            <numerusform>إلغاء اشتراكين؟</numerusform>
            <numerusform>إلغاء %Ln اشتراكات؟</numerusform>
            <numerusform>إلغاء %Ln اشتراكًا؟</numerusform>
            <numerusform>إلغاء %Ln اشتراك؟</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancel the subscription of %1?</source>
        <translation>إلغاء اشتراك %1؟</translation>
    </message>
    <message numerus="yes">
        <source>%Ln selected tenant(s) will be left alone: their state does not allow this.</source>
        <translation>
            <numerusform>لن يتغير أي مستأجر محدد.</numerusform>
            <numerusform>سيبقى مستأجر محدد واحد كما هو: حالته لا تسمح بذلك.</numerusform>
            <numerusform>سيبقى مستأجران محددان كما هما: حالتهما لا تسمح بذلك.</numerusform>
            <numerusform>سيبقى %Ln مستأجرين محددين كما هم: حالتهم لا تسمح بذلك.</numerusform>
            <numerusform>سيبقى %Ln مستأجرًا محددًا كما هم: حالتهم لا تسمح بذلك.</numerusform>
            <numerusform>سيبقى %Ln مستأجر محدد كما هم: حالتهم لا تسمح بذلك.</numerusform>
        </translation>
    </message>
    <message>
        <source>Recorded in the audit log as %1.</source>
        <translation>يُسجَّل في سجل التدقيق باسم %1.</translation>
    </message>
    <message>
        <source>Rotate the data key of %1?</source>
        <translation>تدوير مفتاح بيانات %1؟</translation>
    </message>
    <message>
        <source>End the impersonation of %1?</source>
        <translation>إنهاء التصرف بالنيابة عن %1؟</translation>
    </message>
</context>
<context>
    <name>TenantDetailPane</name>
    <message>
        <source>Any domain</source>
        <translation>أي نطاق</translation>
    </message>
    <message>
        <source>This tenant cannot be read: %1</source>
        <translation>تعذّرت قراءة هذا المستأجر: %1</translation>
    </message>
    <message>
        <source>Loading the tenant%1</source>
        <translation>جارٍ تحميل المستأجر%1</translation>
    </message>
    <message>
        <source>Select a tenant to see its configuration, limits, usage and history.</source>
        <translation>اختر مستأجرًا لعرض إعداداته وحدوده واستخدامه وسجله.</translation>
    </message>
    <message>
        <source>%1 · %2 · %3 plan</source>
        <translation>%1 · %2 · خطة %3</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>نظرة عامة</translation>
    </message>
    <message>
        <source>Configuration</source>
        <translation>الإعدادات</translation>
    </message>
    <message>
        <source>Limits &amp; features</source>
        <translation>الحدود والميزات</translation>
    </message>
    <message>
        <source>History</source>
        <translation>السجل</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>الاسم</translation>
    </message>
    <message>
        <source>Slug</source>
        <translation>المعرّف</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>النوع</translation>
    </message>
    <message>
        <source>Parent</source>
        <translation>الأصل</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>الخطة</translation>
    </message>
    <message>
        <source>Trial ends</source>
        <translation>تنتهي الفترة التجريبية</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>المالك</translation>
    </message>
    <message>
        <source>Owner email</source>
        <translation>بريد المالك</translation>
    </message>
    <message>
        <source>Placement</source>
        <translation>موضع البيانات</translation>
    </message>
    <message>
        <source>Home region</source>
        <translation>المنطقة الأساسية</translation>
    </message>
    <message>
        <source>Allowed regions</source>
        <translation>المناطق المسموح بها</translation>
    </message>
    <message>
        <source>Isolation</source>
        <translation>العزل</translation>
    </message>
    <message>
        <source>Data location</source>
        <translation>موقع البيانات</translation>
    </message>
    <message>
        <source>Provisioning</source>
        <translation>التجهيز</translation>
    </message>
    <message>
        <source>Provisioning error</source>
        <translation>خطأ في التجهيز</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>السجل الإداري</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>أُنشئ</translation>
    </message>
    <message>
        <source>Last changed</source>
        <translation>آخر تغيير</translation>
    </message>
    <message>
        <source>Suspended since</source>
        <translation>معلّق منذ</translation>
    </message>
    <message>
        <source>Canceled on</source>
        <translation>أُلغي في</translation>
    </message>
    <message>
        <source>Deleted for good after</source>
        <translation>يُحذف نهائيًا بعد</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>الإصدار</translation>
    </message>
    <message>
        <source>Tenant ID</source>
        <translation>معرّف المستأجر</translation>
    </message>
    <message>
        <source>Settings the tenant does not set use the platform default.</source>
        <translation>الإعدادات التي لا يحددها المستأجر تستخدم القيمة الافتراضية للمنصة.</translation>
    </message>
    <message>
        <source>custom</source>
        <translation>مخصص</translation>
    </message>
    <message>
        <source>default</source>
        <translation>افتراضي</translation>
    </message>
    <message>
        <source>Edit settings%1</source>
        <translation>تعديل الإعدادات%1</translation>
    </message>
    <message>
        <source>Limit</source>
        <translation>الحد</translation>
    </message>
    <message>
        <source>Effective</source>
        <translation>الفعلي</translation>
    </message>
    <message>
        <source>%1 (custom)</source>
        <translation>%1 (مخصص)</translation>
    </message>
    <message>
        <source>Feature flags</source>
        <translation>مفاتيح الميزات</translation>
    </message>
    <message>
        <source>%1 (plan: %2)</source>
        <translation>%1 (الخطة: %2)</translation>
    </message>
    <message>
        <source>No recorded changes.</source>
        <translation>لا تغييرات مسجلة.</translation>
    </message>
    <message>
        <source>%1 by %2</source>
        <translation>%1 بواسطة %2</translation>
    </message>
    <message>
        <source>Impersonate user%1</source>
        <translation>التصرف بالنيابة عن مستخدم%1</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>البيانات</translation>
    </message>
    <message>
        <source>Changes</source>
        <translation>التغييرات</translation>
    </message>
    <message>
        <source>The history cannot be read: %1</source>
        <translation>تعذّرت قراءة السجل: %1</translation>
    </message>
    <message>
        <source>%1 by %2 acting as %3</source>
        <translation>%1 بواسطة %2 بالنيابة عن %3</translation>
    </message>
</context>
<context>
    <name>TenantEncryptionSection</name>
    <message>
        <source>Encryption</source>
        <translation>التشفير</translation>
    </message>
    <message>
        <source>The data keys cannot be read: %1</source>
        <translation>تعذّرت قراءة مفاتيح البيانات: %1</translation>
    </message>
    <message>
        <source>The tenant&apos;s data keys were destroyed when it was deleted.</source>
        <translation>أُتلفت مفاتيح بيانات المستأجر عند حذفه.</translation>
    </message>
    <message>
        <source>The tenant has no data key yet.</source>
        <translation>ليس للمستأجر مفتاح بيانات بعد.</translation>
    </message>
    <message>
        <source>Current data key</source>
        <translation>مفتاح البيانات الحالي</translation>
    </message>
    <message>
        <source>Version %1, created %2</source>
        <translation>الإصدار %1، أُنشئ %2</translation>
    </message>
    <message>
        <source>Encrypted values</source>
        <translation>القيم المشفّرة</translation>
    </message>
    <message>
        <source>Awaiting re-encryption</source>
        <translation>بانتظار إعادة التشفير</translation>
    </message>
    <message>
        <source>Next rotation due</source>
        <translation>موعد التدوير التالي</translation>
    </message>
    <message>
        <source>No rotation policy</source>
        <translation>لا توجد سياسة تدوير</translation>
    </message>
    <message>
        <source>v%1</source>
        <translation>v%1</translation>
    </message>
    <message>
        <source>Current · created %1</source>
        <translation>الحالي · أُنشئ %1</translation>
    </message>
    <message>
        <source>Created %1</source>
        <translation>أُنشئ %1</translation>
    </message>
    <message>
        <source>Key-encryption key version %1, re-wrapped %2</source>
        <translation>مفتاح تشفير المفاتيح الإصدار %1، أُعيد تغليفه %2</translation>
    </message>
    <message>
        <source>Key-encryption key version %1, never re-wrapped</source>
        <translation>مفتاح تشفير المفاتيح الإصدار %1، لم يُعد تغليفه قط</translation>
    </message>
    <message>
        <source>Rotate data key%1</source>
        <translation>تدوير مفتاح البيانات%1</translation>
    </message>
    <message>
        <source>The data key was not rotated: %1</source>
        <translation>لم يُدوَّر مفتاح البيانات: %1</translation>
    </message>
    <message numerus="yes">
        <source>%Ln value(s)</source>
        <translation>
            <numerusform>لا قيم</numerusform>
            <numerusform>قيمة واحدة</numerusform>
            <numerusform>قيمتان</numerusform>
            <numerusform>%Ln قيم</numerusform>
            <numerusform>%Ln قيمة</numerusform>
            <numerusform>%Ln قيمة</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TenantFilterBar</name>
    <message>
        <source>Search slug or name%1</source>
        <translation>ابحث بالمعرّف أو الاسم%1</translation>
    </message>
    <message>
        <source>All states</source>
        <translation>كل الحالات</translation>
    </message>
    <message>
        <source>All plans</source>
        <translation>كل الخطط</translation>
    </message>
    <message>
        <source>All regions</source>
        <translation>كل المناطق</translation>
    </message>
    <message>
        <source>All strategies</source>
        <translation>كل أنماط العزل</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>مسح عوامل التصفية</translation>
    </message>
    <message>
        <source>New tenant%1</source>
        <translation>مستأجر جديد%1</translation>
    </message>
</context>
<context>
    <name>TenantImpersonationBar</name>
    <message>
        <source>Acting as %1 at %2 — ticket %3 — ends in %4</source>
        <translation>تتصرف بالنيابة عن %1 في %2 — التذكرة %3 — ينتهي خلال %4</translation>
    </message>
    <message>
        <source>Show %1&apos;s view</source>
        <translation>عرض ما يراه %1</translation>
    </message>
    <message>
        <source>Show tenant details</source>
        <translation>عرض تفاصيل المستأجر</translation>
    </message>
    <message>
        <source>End impersonation%1</source>
        <translation>إنهاء التصرف بالنيابة%1</translation>
    </message>
</context>
<context>
    <name>TenantImpersonationDialog</name>
    <message>
        <source>Impersonate a user of %1</source>
        <translation>التصرف بالنيابة عن مستخدم في %1</translation>
    </message>
    <message>
        <source>Start impersonation</source>
        <translation>بدء التصرف بالنيابة</translation>
    </message>
    <message>
        <source>You will see UpCoach as this user does. The start, everything you view and the end are recorded in the audit log as %1, with the ticket; the reason is kept with the impersonation.</source>
        <translation>سترى UpCoach كما يراه هذا المستخدم. يُسجَّل البدء وكل ما تعرضه والإنهاء في سجل التدقيق باسم %1 مع التذكرة؛ ويُحفظ السبب مع جلسة التصرف بالنيابة.</translation>
    </message>
    <message>
        <source>User</source>
        <translation>المستخدم</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %Ln user(s)</source>
        <translation>
            <numerusform>%1 من لا مستخدمين</numerusform>
            <numerusform>%1 من مستخدم واحد</numerusform>
            <numerusform>%1 من مستخدمَين</numerusform>
            <numerusform>%1 من %Ln مستخدمين</numerusform>
            <numerusform>%1 من %Ln مستخدمًا</numerusform>
            <numerusform>%1 من %Ln مستخدم</numerusform>
        </translation>
    </message>
    <message>
        <source>Search name or email%1</source>
        <translation>ابحث بالاسم أو البريد الإلكتروني%1</translation>
    </message>
    <message>
        <source>Loading more users%1</source>
        <translation>جارٍ تحميل مزيد من المستخدمين%1</translation>
    </message>
    <message>
        <source>The users cannot be read: %1</source>
        <translation>تعذّرت قراءة المستخدمين: %1</translation>
    </message>
    <message>
        <source>Loading users%1</source>
        <translation>جارٍ تحميل المستخدمين%1</translation>
    </message>
    <message>
        <source>No users match.</source>
        <translation>لا يوجد مستخدمون مطابقون.</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>السبب</translation>
    </message>
    <message>
        <source>%1 / %2 characters</source>
        <translation>%1 / %2 حرفًا</translation>
    </message>
    <message>
        <source>Why you need to act as this user (at least %1 characters)</source>
        <translation>لماذا تحتاج إلى التصرف بالنيابة عن هذا المستخدم (%1 أحرف على الأقل)</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>التذكرة</translation>
    </message>
    <message>
        <source>e.g. SUP-1234</source>
        <translation>مثل SUP-1234</translation>
    </message>
    <message>
        <source>Ends after</source>
        <translation>ينتهي بعد</translation>
    </message>
    <message>
        <source>The impersonation did not start: %1</source>
        <translation>لم يبدأ التصرف بالنيابة: %1</translation>
    </message>
    <message>
        <source>Will act as %1 (%2, %3)</source>
        <translation>ستتصرف بالنيابة عن %1 (%2، %3)</translation>
    </message>
</context>
<context>
    <name>TenantImpersonationHistory</name>
    <message numerus="yes">
        <source>Impersonations (%Ln open)</source>
        <translation>
            <numerusform>حالات التصرف بالنيابة (لا شيء مفتوح)</numerusform>
            <numerusform>حالات التصرف بالنيابة (واحدة مفتوحة)</numerusform>
            <numerusform>حالات التصرف بالنيابة (اثنتان مفتوحتان)</numerusform>
            <numerusform>حالات التصرف بالنيابة (%Ln مفتوحة)</numerusform>
            <numerusform>حالات التصرف بالنيابة (%Ln مفتوحة)</numerusform>
            <numerusform>حالات التصرف بالنيابة (%Ln مفتوحة)</numerusform>
        </translation>
    </message>
    <message>
        <source>Impersonations</source>
        <translation>حالات التصرف بالنيابة</translation>
    </message>
    <message>
        <source>The impersonations cannot be read: %1</source>
        <translation>تعذّرت قراءة حالات التصرف بالنيابة: %1</translation>
    </message>
    <message>
        <source>No one has impersonated a user of this tenant.</source>
        <translation>لم يتصرف أحد بالنيابة عن مستخدم لهذا المستأجر.</translation>
    </message>
    <message>
        <source>%1 as %2</source>
        <translation>%1 بالنيابة عن %2</translation>
    </message>
    <message>
        <source>Ticket %1 · started %2</source>
        <translation>التذكرة %1 · بدأ %2</translation>
    </message>
    <message>
        <source>Ended %1 by %2</source>
        <translation>انتهى %1 بواسطة %2</translation>
    </message>
    <message>
        <source>Expired %1</source>
        <translation>انتهت صلاحيته %1</translation>
    </message>
    <message>
        <source>Ends %1</source>
        <translation>ينتهي %1</translation>
    </message>
</context>
<context>
    <name>TenantImpersonationPanel</name>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>Started %1 by %2 for ticket %3; ends %4.</source>
        <translation>بدأ %1 بواسطة %2 للتذكرة %3؛ ينتهي %4.</translation>
    </message>
    <message>
        <source>Read as this user; every view is recorded in the audit log.</source>
        <translation>مقروء بصفة هذا المستخدم؛ يُسجَّل كل عرض في سجل التدقيق.</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>إعادة التحميل</translation>
    </message>
    <message>
        <source>What the user sees cannot be read: %1</source>
        <translation>تعذّرت قراءة ما يراه المستخدم: %1</translation>
    </message>
    <message>
        <source>Goals (%1)</source>
        <translation>الأهداف (%1)</translation>
    </message>
    <message>
        <source>No goals.</source>
        <translation>لا أهداف.</translation>
    </message>
    <message>
        <source>%1 · target %2</source>
        <translation>%1 · الموعد المستهدف %2</translation>
    </message>
    <message>
        <source>%1%</source>
        <translation>%1٪</translation>
    </message>
    <message>
        <source>Habits (%1)</source>
        <translation>العادات (%1)</translation>
    </message>
    <message>
        <source>No habits.</source>
        <translation>لا عادات.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln check-in(s)</source>
        <translation>
            <numerusform>لا تسجيلات</numerusform>
            <numerusform>تسجيل واحد</numerusform>
            <numerusform>تسجيلان</numerusform>
            <numerusform>%Ln تسجيلات</numerusform>
            <numerusform>%Ln تسجيلًا</numerusform>
            <numerusform>%Ln تسجيل</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Check-ins of the last %Ln day(s).</source>
        <translation>
            <numerusform>تسجيلات اليوم.</numerusform>
            <numerusform>تسجيلات آخر يوم.</numerusform>
            <numerusform>تسجيلات آخر يومين.</numerusform>
            <numerusform>تسجيلات آخر %Ln أيام.</numerusform>
            <numerusform>تسجيلات آخر %Ln يومًا.</numerusform>
            <numerusform>تسجيلات آخر %Ln يوم.</numerusform>
        </translation>
    </message>
    <message>
        <source>Coaching sessions (%1)</source>
        <translation>جلسات التدريب (%1)</translation>
    </message>
    <message>
        <source>No coaching sessions.</source>
        <translation>لا جلسات تدريب.</translation>
    </message>
    <message>
        <source>Coaching %1 · %2 min</source>
        <translation>تدريب %1 · %2 دقيقة</translation>
    </message>
    <message>
        <source>With coach %1 · %2 min</source>
        <translation>مع المدرب %1 · %2 دقيقة</translation>
    </message>
</context>
<context>
    <name>TenantSettingsDialog</name>
    <message>
        <source>Default (%1)</source>
        <translation>افتراضي (%1)</translation>
    </message>
    <message>
        <source>On</source>
        <translation>مفعّل</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>معطّل</translation>
    </message>
    <message>
        <source>Default: %1</source>
        <translation>الافتراضي: %1</translation>
    </message>
    <message>
        <source>Plan: %1</source>
        <translation>الخطة: %1</translation>
    </message>
    <message>
        <source>Plan (%1)</source>
        <translation>الخطة (%1)</translation>
    </message>
    <message>
        <source>none</source>
        <translation>لا شيء</translation>
    </message>
    <message>
        <source>Settings of %1</source>
        <translation>إعدادات %1</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>حفظ</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>لم يُحفظ: %1</translation>
    </message>
    <message>
        <source>Configuration</source>
        <translation>الإعدادات</translation>
    </message>
    <message>
        <source>Limits (empty: the plan&apos;s)</source>
        <translation>الحدود (فارغ: حدود الخطة)</translation>
    </message>
    <message>
        <source>Feature flags</source>
        <translation>مفاتيح الميزات</translation>
    </message>
</context>
<context>
    <name>TenantSortHeader</name>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
</context>
<context>
    <name>TenantSummary</name>
    <message>
        <source>Tenants</source>
        <translation>المستأجرون</translation>
    </message>
    <message>
        <source>Updated %1</source>
        <translation>حُدّث %1</translation>
    </message>
    <message>
        <source>Waiting for the registry</source>
        <translation>في انتظار السجل</translation>
    </message>
    <message>
        <source>Lifecycle</source>
        <translation>دورة الحياة</translation>
    </message>
    <message>
        <source>Isolation</source>
        <translation>العزل</translation>
    </message>
    <message>
        <source>Home region</source>
        <translation>المنطقة الأساسية</translation>
    </message>
</context>
<context>
    <name>TenantTable</name>
    <message>
        <source>The tenants could not be read: %1</source>
        <translation>تعذّرت قراءة المستأجرين: %1</translation>
    </message>
    <message>
        <source>Waiting for the tenant registry%1</source>
        <translation>في انتظار سجل المستأجرين%1</translation>
    </message>
    <message>
        <source>Loading tenants%1</source>
        <translation>جارٍ تحميل المستأجرين%1</translation>
    </message>
    <message>
        <source>No tenants match the filters.</source>
        <translation>لا يوجد مستأجر يطابق عوامل التصفية.</translation>
    </message>
    <message>
        <source>There are no tenants yet. Create the first one with New tenant.</source>
        <translation>لا يوجد مستأجرون بعد. أنشئ الأول عبر «مستأجر جديد».</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>الاسم</translation>
    </message>
    <message>
        <source>Slug</source>
        <translation>المعرّف</translation>
    </message>
    <message>
        <source>State</source>
        <translation>الحالة</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>الخطة</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>المنطقة</translation>
    </message>
    <message>
        <source>Isolation</source>
        <translation>العزل</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>أُنشئ</translation>
    </message>
    <message>
        <source>Loading more tenants%1</source>
        <translation>جارٍ تحميل المزيد من المستأجرين%1</translation>
    </message>
</context>
<context>
    <name>TenantTableRow</name>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
</context>
<context>
    <name>TenantUsageSection</name>
    <message>
        <source>Usage against limits</source>
        <translation>الاستخدام مقارنة بالحدود</translation>
    </message>
    <message>
        <source>Usage is not available: %1</source>
        <translation>الاستخدام غير متاح: %1</translation>
    </message>
    <message>
        <source>Seats in use</source>
        <translation>المقاعد المستخدمة</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 من %2</translation>
    </message>
    <message>
        <source>Storage used</source>
        <translation>التخزين المستخدم</translation>
    </message>
    <message>
        <source>Measured %1 in the tenant&apos;s own placement: its rows as stored.</source>
        <translation>قيس %1 في موضع بيانات المستأجر نفسه: صفوفه كما هي مخزّنة.</translation>
    </message>
    <message>
        <source>Measure again</source>
        <translation>إعادة القياس</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>الجدول</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>الصفوف</translation>
    </message>
    <message>
        <source>Stored</source>
        <translation>المخزّن</translation>
    </message>
    <message>
        <source>All tables</source>
        <translation>كل الجداول</translation>
    </message>
</context>
<context>
    <name>TenantWizardDialog</name>
    <message>
        <source>Identity</source>
        <translation>الهوية</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>الخطة</translation>
    </message>
    <message>
        <source>Placement</source>
        <translation>موضع البيانات</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>المالك</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>المراجعة</translation>
    </message>
    <message>
        <source>%1 per seat / month</source>
        <translation>%1 لكل مقعد / شهريًا</translation>
    </message>
    <message>
        <source>Up to %1 seats</source>
        <translation>حتى %1 مقعد</translation>
    </message>
    <message>
        <source>New tenant</source>
        <translation>مستأجر جديد</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>السابق</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>إلغاء</translation>
    </message>
    <message>
        <source>Create tenant</source>
        <translation>إنشاء المستأجر</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>التالي</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>الاسم</translation>
    </message>
    <message>
        <source>The customer&apos;s name, e.g. Northwind Health</source>
        <translation>اسم العميل، مثل Northwind Health</translation>
    </message>
    <message>
        <source>Slug</source>
        <translation>المعرّف</translation>
    </message>
    <message>
        <source>lower-case-with-dashes</source>
        <translation>lower-case-with-dashes</translation>
    </message>
    <message>
        <source>3 to 63 characters: a-z, 0-9 and single dashes. It names the tenant in URLs, the API and the audit log, and cannot change later.</source>
        <translation>من 3 إلى 63 حرفًا: a-z و0-9 وشرطات مفردة. يُعرّف المستأجر في العناوين وواجهة البرمجة وسجل التدقيق، ولا يمكن تغييره لاحقًا.</translation>
    </message>
    <message>
        <source>Suggested from the name; edit it if you like. It cannot change later.</source>
        <translation>مقترح من الاسم؛ يمكنك تعديله الآن، ولا يمكن تغييره لاحقًا.</translation>
    </message>
    <message numerus="yes">
        <source>Start with a %Ln-day trial</source>
        <translation>
            <numerusform>البدء دون فترة تجريبية</numerusform>
            <numerusform>البدء بفترة تجريبية ليوم واحد</numerusform>
            <numerusform>البدء بفترة تجريبية ليومين</numerusform>
            <numerusform>البدء بفترة تجريبية لـ %Ln أيام</numerusform>
            <numerusform>البدء بفترة تجريبية لـ %Ln يومًا</numerusform>
            <numerusform>البدء بفترة تجريبية لـ %Ln يوم</numerusform>
        </translation>
    </message>
    <message>
        <source>Start with a trial</source>
        <translation>البدء بفترة تجريبية</translation>
    </message>
    <message>
        <source>Home region</source>
        <translation>المنطقة الأساسية</translation>
    </message>
    <message>
        <source>Allowed regions (data residency)</source>
        <translation>المناطق المسموح بها (إقامة البيانات)</translation>
    </message>
    <message>
        <source>Isolation</source>
        <translation>العزل</translation>
    </message>
    <message>
        <source>Owner name</source>
        <translation>اسم المالك</translation>
    </message>
    <message>
        <source>Who administers the tenant (optional)</source>
        <translation>من يدير المستأجر (اختياري)</translation>
    </message>
    <message>
        <source>Owner email</source>
        <translation>بريد المالك</translation>
    </message>
    <message>
        <source>name@example.com</source>
        <translation>name@example.com</translation>
    </message>
    <message>
        <source>The owner receives the invitation to set up the tenant. Contact details are personal data: they are never written to logs or audit events.</source>
        <translation>يتلقى المالك دعوة إعداد المستأجر. بيانات الاتصال بيانات شخصية: لا تُكتب أبدًا في السجلات أو أحداث التدقيق.</translation>
    </message>
    <message>
        <source>%1, trial first</source>
        <translation>%1، بفترة تجريبية أولًا</translation>
    </message>
    <message>
        <source>Allowed regions</source>
        <translation>المناطق المسموح بها</translation>
    </message>
    <message>
        <source>%1 &lt;%2&gt;</source>
        <translation>%1 &lt;%2&gt;</translation>
    </message>
    <message>
        <source>The tenant was not created: %1</source>
        <translation>لم يُنشأ المستأجر: %1</translation>
    </message>
    <message>
        <source>Creating the tenant and provisioning its placement%1</source>
        <translation>جارٍ إنشاء المستأجر وتجهيز موضع بياناته%1</translation>
    </message>
    <message>
        <source>Creating the tenant provisions its placement in the home region and records it in the audit log as %1.</source>
        <translation>إنشاء المستأجر يجهّز موضع بياناته في المنطقة الأساسية ويسجّله في سجل التدقيق باسم %1.</translation>
    </message>
</context>
<context>
    <name>TenantWords</name>
    <message>
        <source>Trial</source>
        <translation>تجريبي</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>نشط</translation>
    </message>
    <message>
        <source>Suspended</source>
        <translation>معلّق</translation>
    </message>
    <message>
        <source>Canceled</source>
        <translation>ملغى</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>محذوف</translation>
    </message>
    <message>
        <source>Shared (RLS)</source>
        <translation>مشترك (RLS)</translation>
    </message>
    <message>
        <source>Schema</source>
        <translation>مخطط</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>قاعدة بيانات</translation>
    </message>
    <message>
        <source>Shared tables, separated by row-level security. The most economical; fits most tenants.</source>
        <translation>جداول مشتركة تفصلها سياسات الأمان على مستوى الصف. الأكثر اقتصادًا ويناسب معظم المستأجرين.</translation>
    </message>
    <message>
        <source>A schema and database role of its own in the region&apos;s database.</source>
        <translation>مخطط ودور قاعدة بيانات خاصان به في قاعدة بيانات المنطقة.</translation>
    </message>
    <message>
        <source>A database of its own: the strongest separation, for regulated customers.</source>
        <translation>قاعدة بيانات خاصة به: أقوى فصل، للعملاء الخاضعين للتنظيم.</translation>
    </message>
    <message>
        <source>Organization</source>
        <translation>مؤسسة</translation>
    </message>
    <message>
        <source>Sub-organization</source>
        <translation>مؤسسة فرعية</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>فريق</translation>
    </message>
    <message>
        <source>Provisioning</source>
        <translation>التجهيز</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>جاهز</translation>
    </message>
    <message>
        <source>Provisioning failed</source>
        <translation>فشل التجهيز</translation>
    </message>
    <message>
        <source>Moving</source>
        <translation>قيد النقل</translation>
    </message>
    <message>
        <source>Removed</source>
        <translation>أُزيل</translation>
    </message>
    <message>
        <source>Activate</source>
        <translation>تفعيل</translation>
    </message>
    <message>
        <source>Reactivate</source>
        <translation>إعادة التفعيل</translation>
    </message>
    <message>
        <source>Suspend</source>
        <translation>تعليق</translation>
    </message>
    <message>
        <source>Cancel subscription</source>
        <translation>إلغاء الاشتراك</translation>
    </message>
    <message>
        <source>Users can sign in and use UpCoach again. A trial becomes a paying subscription.</source>
        <translation>يستطيع المستخدمون تسجيل الدخول واستخدام UpCoach مجددًا. تصبح الفترة التجريبية اشتراكًا مدفوعًا.</translation>
    </message>
    <message>
        <source>The canceled subscription becomes active again; its data is still there.</source>
        <translation>يعود الاشتراك الملغى نشطًا؛ بياناته ما زالت موجودة.</translation>
    </message>
    <message>
        <source>Users can no longer sign in or use the API. Data is kept and operators can still reach it.</source>
        <translation>لن يتمكن المستخدمون من تسجيل الدخول أو استخدام واجهة البرمجة. تُحفظ البيانات ويظل بإمكان المشغّلين الوصول إليها.</translation>
    </message>
    <message>
        <source>The subscription ends and users lose access. Data is kept until the tenant is deleted.</source>
        <translation>ينتهي الاشتراك ويفقد المستخدمون الوصول. تُحفظ البيانات حتى يُحذف المستأجر.</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>اللغة</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>المنطقة الزمنية</translation>
    </message>
    <message>
        <source>Week starts on</source>
        <translation>يبدأ الأسبوع يوم</translation>
    </message>
    <message>
        <source>Session length (minutes)</source>
        <translation>مدة الجلسة (دقائق)</translation>
    </message>
    <message>
        <source>Data retention (days)</source>
        <translation>الاحتفاظ بالبيانات (أيام)</translation>
    </message>
    <message>
        <source>Require MFA</source>
        <translation>فرض المصادقة متعددة العوامل</translation>
    </message>
    <message>
        <source>Require SSO</source>
        <translation>فرض الدخول الموحد</translation>
    </message>
    <message>
        <source>Allowed email domains</source>
        <translation>نطاقات البريد المسموح بها</translation>
    </message>
    <message>
        <source>Brand colour</source>
        <translation>لون العلامة</translation>
    </message>
    <message>
        <source>Seats</source>
        <translation>المقاعد</translation>
    </message>
    <message>
        <source>Storage</source>
        <translation>التخزين</translation>
    </message>
    <message>
        <source>API requests per minute</source>
        <translation>طلبات API في الدقيقة</translation>
    </message>
    <message>
        <source>Single sign-on</source>
        <translation>الدخول الموحد</translation>
    </message>
    <message>
        <source>SCIM provisioning</source>
        <translation>تزويد SCIM</translation>
    </message>
    <message>
        <source>Custom domain</source>
        <translation>نطاق مخصص</translation>
    </message>
    <message>
        <source>Advanced analytics</source>
        <translation>تحليلات متقدمة</translation>
    </message>
    <message>
        <source>AI coach assist</source>
        <translation>مساعد المدرب الذكي</translation>
    </message>
    <message>
        <source>HIPAA safeguards</source>
        <translation>ضمانات HIPAA</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>المستخدمون</translation>
    </message>
    <message>
        <source>Programs</source>
        <translation>البرامج</translation>
    </message>
    <message>
        <source>Goals</source>
        <translation>الأهداف</translation>
    </message>
    <message>
        <source>Coaching sessions</source>
        <translation>جلسات التدريب</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>الرسائل</translation>
    </message>
    <message>
        <source>On</source>
        <translation>مفعّل</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>معطّل</translation>
    </message>
    <message>
        <source>Rotate data key</source>
        <translation>تدوير مفتاح البيانات</translation>
    </message>
    <message>
        <source>End impersonation</source>
        <translation>إنهاء التصرف بالنيابة</translation>
    </message>
    <message>
        <source>A new data key version becomes current and every encrypted value is re-encrypted under it. Older versions keep decrypting until the tenant is deleted.</source>
        <translation>يصبح إصدار جديد من مفتاح البيانات هو الحالي، وتُعاد كل قيمة مشفّرة تشفيرها به. تبقى الإصدارات الأقدم قادرة على فك التشفير حتى حذف المستأجر.</translation>
    </message>
    <message>
        <source>You stop acting as this user now. The impersonation cannot be resumed; start a new one with a reason if you need it again.</source>
        <translation>ستتوقف الآن عن التصرف بالنيابة عن هذا المستخدم. لا يمكن استئناف الجلسة؛ ابدأ جلسة جديدة مع ذكر السبب إن احتجت إليها مجددًا.</translation>
    </message>
    <message>
        <source>Habits</source>
        <translation>العادات</translation>
    </message>
    <message>
        <source>Habit check-ins</source>
        <translation>تسجيلات العادات</translation>
    </message>
    <message>
        <source>Session notes</source>
        <translation>ملاحظات الجلسات</translation>
    </message>
    <message>
        <source>Coach</source>
        <translation>مدرب</translation>
    </message>
    <message>
        <source>Coachee</source>
        <translation>متدرب</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>مسؤول</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>مفتوح</translation>
    </message>
    <message>
        <source>Achieved</source>
        <translation>تحقق</translation>
    </message>
    <message>
        <source>Abandoned</source>
        <translation>متروك</translation>
    </message>
    <message>
        <source>Daily</source>
        <translation>يومي</translation>
    </message>
    <message>
        <source>Weekly</source>
        <translation>أسبوعي</translation>
    </message>
    <message>
        <source>Scheduled</source>
        <translation>مجدولة</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>مكتملة</translation>
    </message>
    <message>
        <source>No-show</source>
        <translation>لم يحضر</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>منتهٍ</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>منتهي الصلاحية</translation>
    </message>
    <message numerus="yes">
        <source>%Ln h</source>
        <translation>
            <numerusform>%Ln ساعة</numerusform>
            <numerusform>ساعة واحدة</numerusform>
            <numerusform>ساعتان</numerusform>
            <numerusform>%Ln ساعات</numerusform>
            <numerusform>%Ln ساعة</numerusform>
            <numerusform>%Ln ساعة</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln min</source>
        <translation>
            <numerusform>%Ln دقيقة</numerusform>
            <numerusform>دقيقة واحدة</numerusform>
            <numerusform>دقيقتان</numerusform>
            <numerusform>%Ln دقائق</numerusform>
            <numerusform>%Ln دقيقة</numerusform>
            <numerusform>%Ln دقيقة</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TenantsPage</name>
    <message>
        <source>Loading tenants%1</source>
        <translation>جارٍ تحميل المستأجرين%1</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %Ln tenant(s) match</source>
        <translation>
            <numerusform>%1 من لا مستأجرين تطابق</numerusform>
            <numerusform>%1 من مستأجر واحد يطابق</numerusform>
            <numerusform>%1 من مستأجرَين تطابق</numerusform>
            <numerusform>%1 من %Ln مستأجرين تطابق</numerusform>
            <numerusform>%1 من %Ln مستأجرًا تطابق</numerusform>
            <numerusform>%1 من %Ln مستأجر تطابق</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln tenant(s)</source>
        <translation>
            <numerusform>لا مستأجرين</numerusform>
            <numerusform>مستأجر واحد</numerusform>
            <numerusform>مستأجران</numerusform>
            <numerusform>%Ln مستأجرين</numerusform>
            <numerusform>%Ln مستأجرًا</numerusform>
            <numerusform>%Ln مستأجر</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Activated %Ln tenant(s).</source>
        <translation>
            <numerusform>لم يُفعَّل أي مستأجر.</numerusform>
            <numerusform>فُعّل مستأجر واحد.</numerusform>
            <numerusform>فُعّل مستأجران.</numerusform>
            <numerusform>فُعّل %Ln مستأجرين.</numerusform>
            <numerusform>فُعّل %Ln مستأجرًا.</numerusform>
            <numerusform>فُعّل %Ln مستأجر.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Reactivated %Ln tenant(s).</source>
        <translation>
            <numerusform>لم يُعَد تفعيل أي مستأجر.</numerusform>
            <numerusform>أُعيد تفعيل مستأجر واحد.</numerusform>
            <numerusform>أُعيد تفعيل مستأجرَين.</numerusform>
            <numerusform>أُعيد تفعيل %Ln مستأجرين.</numerusform>
            <numerusform>أُعيد تفعيل %Ln مستأجرًا.</numerusform>
            <numerusform>أُعيد تفعيل %Ln مستأجر.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Suspended %Ln tenant(s).</source>
        <translation>
            <numerusform>لم يُعلَّق أي مستأجر.</numerusform>
            <numerusform>عُلّق مستأجر واحد.</numerusform>
            <numerusform>عُلّق مستأجران.</numerusform>
            <numerusform>عُلّق %Ln مستأجرين.</numerusform>
            <numerusform>عُلّق %Ln مستأجرًا.</numerusform>
            <numerusform>عُلّق %Ln مستأجر.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Canceled %Ln subscription(s).</source>
        <translation>
            <numerusform>لم يُلغَ أي اشتراك.</numerusform>
            <numerusform>أُلغي اشتراك واحد.</numerusform>
            <numerusform>أُلغي اشتراكان.</numerusform>
            <numerusform>أُلغيت %Ln اشتراكات.</numerusform>
            <numerusform>أُلغي %Ln اشتراكًا.</numerusform>
            <numerusform>أُلغي %Ln اشتراك.</numerusform>
        </translation>
    </message>
    <message>
        <source>Settings saved.</source>
        <translation>حُفظت الإعدادات.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln left alone: their state does not allow it.</source>
        <translation>
            <numerusform>لم يُترك أي مستأجر.</numerusform>
            <numerusform>بقي واحد كما هو: حالته لا تسمح بذلك.</numerusform>
            <numerusform>بقي اثنان كما هما: حالتهما لا تسمح بذلك.</numerusform>
            <numerusform>بقي %Ln كما هم: حالتهم لا تسمح بذلك.</numerusform>
            <numerusform>بقي %Ln كما هم: حالتهم لا تسمح بذلك.</numerusform>
            <numerusform>بقي %Ln كما هم: حالتهم لا تسمح بذلك.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln not changed: %1</source>
        <translation>
            <numerusform>لا شيء لم يتغير: %1</numerusform>
            <numerusform>واحد لم يتغير: %1</numerusform>
            <numerusform>اثنان لم يتغيرا: %1</numerusform>
            <numerusform>%Ln لم تتغير: %1</numerusform>
            <numerusform>%Ln لم تتغير: %1</numerusform>
            <numerusform>%Ln لم تتغير: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Created tenant %1.</source>
        <translation>أُنشئ المستأجر %1.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln selected</source>
        <translation>
            <numerusform>لا شيء محدد</numerusform>
            <numerusform>واحد محدد</numerusform>
            <numerusform>اثنان محددان</numerusform>
            <numerusform>%Ln محددة</numerusform>
            <numerusform>%Ln محددًا</numerusform>
            <numerusform>%Ln محدد</numerusform>
        </translation>
    </message>
    <message>
        <source>Activate%1</source>
        <translation>تفعيل%1</translation>
    </message>
    <message>
        <source>Suspend%1</source>
        <translation>تعليق%1</translation>
    </message>
    <message>
        <source>Clear selection</source>
        <translation>إلغاء التحديد</translation>
    </message>
    <message>
        <source>Could not refresh: %1</source>
        <translation>تعذّر التحديث: %1</translation>
    </message>
    <message>
        <source>Data key rotated.</source>
        <translation>دُوِّر مفتاح البيانات.</translation>
    </message>
    <message>
        <source>Impersonation started.</source>
        <translation>بدأ التصرف بالنيابة.</translation>
    </message>
    <message>
        <source>The impersonation expired.</source>
        <translation>انتهت صلاحية التصرف بالنيابة.</translation>
    </message>
    <message>
        <source>Impersonation ended.</source>
        <translation>انتهى التصرف بالنيابة.</translation>
    </message>
</context>
<context>
    <name>TrafficChart</name>
    <message numerus="yes">
        <source>Requests per second and p95 latency, last %Ln minute(s)</source>
        <translation>
            <numerusform>الطلبات في الثانية وزمن الاستجابة p95، آخر %Ln دقيقة</numerusform>
            <numerusform>الطلبات في الثانية وزمن الاستجابة p95، آخر دقيقة</numerusform>
            <numerusform>الطلبات في الثانية وزمن الاستجابة p95، آخر دقيقتين</numerusform>
            <numerusform>الطلبات في الثانية وزمن الاستجابة p95، آخر %Ln دقائق</numerusform>
            <numerusform>الطلبات في الثانية وزمن الاستجابة p95، آخر %Ln دقيقة</numerusform>
            <numerusform>الطلبات في الثانية وزمن الاستجابة p95، آخر %Ln دقيقة</numerusform>
        </translation>
    </message>
    <message>
        <source>Requests/s</source>
        <translation>طلب/ث</translation>
    </message>
    <message>
        <source>p95 (ms)</source>
        <translation>p95 (مللي ث)</translation>
    </message>
</context>
<context>
    <name>TrafficControlDialog</name>
    <message>
        <source>Next region of its failover chain</source>
        <translation>المنطقة التالية في سلسلة التحويل</translation>
    </message>
    <message>
        <source>%1 stops taking new clients: the router sends them to the next region of its failover chain. Sessions already there move as their requests arrive.</source>
        <translation>تتوقف %1 عن استقبال عملاء جدد: يرسلهم الموجّه إلى المنطقة التالية في سلسلة التحويل. تنتقل الجلسات القائمة مع وصول طلباتها.</translation>
    </message>
    <message>
        <source>%1 takes its clients back: the policy routes to it again as soon as its health checks pass.</source>
        <translation>تستعيد %1 عملاءها: تعود السياسة إلى التوجيه إليها فور نجاح فحوص سلامتها.</translation>
    </message>
    <message>
        <source>%1 stops serving and its clients go to the region you choose first (where their tenants&apos; data residency allows), then to its failover chain.</source>
        <translation>تتوقف %1 عن الخدمة وينتقل عملاؤها أولًا إلى المنطقة التي تختارها (حيث تسمح إقامة بيانات مستأجريهم)، ثم إلى سلسلة التحويل.</translation>
    </message>
    <message>
        <source>Working out who would move%1</source>
        <translation>جارٍ حساب من سينتقل%1</translation>
    </message>
    <message>
        <source>No preview: %1</source>
        <translation>لا معاينة: %1</translation>
    </message>
    <message>
        <source>No client country and no tenant would move.</source>
        <translation>لن ينتقل أي بلد عملاء ولا أي مستأجر.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln country(ies)</source>
        <translation>
            <numerusform>لا بلدان</numerusform>
            <numerusform>بلد واحد</numerusform>
            <numerusform>بلدان</numerusform>
            <numerusform>%Ln بلدان</numerusform>
            <numerusform>%Ln بلدًا</numerusform>
            <numerusform>%Ln بلد</numerusform>
        </translation>
    </message>
    <message>
        <source>, </source>
        <comment>list separator</comment>
        <translation>، </translation>
    </message>
    <message numerus="yes">
        <source>%Ln tenant(s) would move.</source>
        <translation>
            <numerusform>لن ينتقل أي مستأجر.</numerusform>
            <numerusform>سينتقل مستأجر واحد.</numerusform>
            <numerusform>سينتقل مستأجران.</numerusform>
            <numerusform>سينتقل %Ln مستأجرين.</numerusform>
            <numerusform>سينتقل %Ln مستأجرًا.</numerusform>
            <numerusform>سينتقل %Ln مستأجر.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln would have nowhere to go.</source>
        <translation>
            <numerusform>لن يبقى أحد بلا وجهة.</numerusform>
            <numerusform>سيبقى واحد بلا وجهة.</numerusform>
            <numerusform>سيبقى اثنان بلا وجهة.</numerusform>
            <numerusform>سيبقى %Ln بلا وجهة.</numerusform>
            <numerusform>سيبقى %Ln بلا وجهة.</numerusform>
            <numerusform>سيبقى %Ln بلا وجهة.</numerusform>
        </translation>
    </message>
    <message>
        <source>Return %1 to service?</source>
        <translation>إعادة %1 إلى الخدمة؟</translation>
    </message>
    <message>
        <source>Drain %1?</source>
        <translation>تفريغ %1؟</translation>
    </message>
    <message>
        <source>Force the failover of %1?</source>
        <translation>فرض تحويل %1؟</translation>
    </message>
    <message>
        <source>Send its clients first to</source>
        <translation>إرسال عملائها أولًا إلى</translation>
    </message>
    <message>
        <source>Failover target</source>
        <translation>وجهة التحويل</translation>
    </message>
    <message>
        <source>These countries and tenants will move</source>
        <translation>ستنتقل هذه البلدان والمستأجرون</translation>
    </message>
    <message>
        <source>Countries (%1)</source>
        <translation>البلدان (%1)</translation>
    </message>
    <message>
        <source>No country moves.</source>
        <translation>لا ينتقل أي بلد.</translation>
    </message>
    <message>
        <source>Tenants (%1)</source>
        <translation>المستأجرون (%1)</translation>
    </message>
    <message>
        <source>No tenant moves.</source>
        <translation>لا ينتقل أي مستأجر.</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>السبب</translation>
    </message>
    <message>
        <source>%1 / %2 characters</source>
        <translation>%1 / %2 حرفًا</translation>
    </message>
    <message>
        <source>Why (at least %1 characters); the audit log keeps it</source>
        <translation>السبب (%1 حرفًا على الأقل)؛ يحتفظ به سجل التدقيق</translation>
    </message>
</context>
<context>
    <name>TrafficHealthCard</name>
    <message>
        <source>%1 ms</source>
        <translation>%1 م.ث</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1، %2</translation>
    </message>
    <message>
        <source>Uptime %1, p95 %2, errors %3, %4 requests per second</source>
        <translation>مدة التشغيل %1، p95 ‏%2، الأخطاء %3، %4 طلب في الثانية</translation>
    </message>
    <message>
        <source>Uptime</source>
        <translation>مدة التشغيل</translation>
    </message>
    <message>
        <source>p95</source>
        <translation>p95</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>الأخطاء</translation>
    </message>
    <message>
        <source>Requests/s</source>
        <translation>طلب/ث</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>قاعدة بيانات</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>الفحص</translation>
    </message>
</context>
<context>
    <name>TrafficMapPanel</name>
    <message>
        <source>Routed to %1</source>
        <translation>موجّه إلى %1</translation>
    </message>
    <message>
        <source>Not routed: refused or no region left</source>
        <translation>غير موجّه: مرفوض أو لم تتبق منطقة</translation>
    </message>
    <message>
        <source>%1 requests in the last minute</source>
        <translation>%1 طلب في الدقيقة الأخيرة</translation>
    </message>
    <message>
        <source>No requests in the last minute</source>
        <translation>لا طلبات في الدقيقة الأخيرة</translation>
    </message>
    <message>
        <source>World map of regions and traffic</source>
        <translation>خريطة العالم للمناطق والحركة</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>تكبير</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>تصغير</translation>
    </message>
    <message>
        <source>Show the whole world</source>
        <translation>عرض العالم كله</translation>
    </message>
</context>
<context>
    <name>TrafficMarker</name>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1 · %2 req/s</source>
        <translation>%1 · %2 طلب/ث</translation>
    </message>
</context>
<context>
    <name>TrafficMoveList</name>
    <message>
        <source>Nowhere</source>
        <translation>لا مكان</translation>
    </message>
</context>
<context>
    <name>TrafficOverview</name>
    <message>
        <source>Requests from a country to its region (last minute)</source>
        <translation>طلبات بلد إلى منطقته (الدقيقة الأخيرة)</translation>
    </message>
</context>
<context>
    <name>TrafficPolicyRule</name>
    <message>
        <source>Rule %1, %2: %3</source>
        <translation>القاعدة %1، %2: %3</translation>
    </message>
    <message>
        <source>Weights overridden</source>
        <translation>الأوزان مُعدّلة</translation>
    </message>
</context>
<context>
    <name>TrafficPolicyView</name>
    <message>
        <source>%1 ms</source>
        <translation>%1 م.ث</translation>
    </message>
    <message>
        <source>Version %1</source>
        <translation>الإصدار %1</translation>
    </message>
    <message numerus="yes">
        <source>%Ln rule(s), evaluated in order</source>
        <translation>
            <numerusform>لا قواعد</numerusform>
            <numerusform>قاعدة واحدة، تُقيَّم بالترتيب</numerusform>
            <numerusform>قاعدتان، تُقيَّمان بالترتيب</numerusform>
            <numerusform>%Ln قواعد، تُقيَّم بالترتيب</numerusform>
            <numerusform>%Ln قاعدة، تُقيَّم بالترتيب</numerusform>
            <numerusform>%Ln قاعدة، تُقيَّم بالترتيب</numerusform>
        </translation>
    </message>
    <message>
        <source>Request hedging</source>
        <translation>التحوّط للطلبات</translation>
    </message>
    <message>
        <source>A slow first answer is raced by a copy to the next region, sent after the first region&apos;s p%1 latency (between %2 and %3), for at most %4 of requests.</source>
        <translation>تُسابق نسخةٌ إلى المنطقة التالية الإجابةَ الأولى البطيئة، وتُرسل بعد زمن استجابة p%1 للمنطقة الأولى (بين %2 و%3)، لما لا يزيد على %4 من الطلبات.</translation>
    </message>
    <message>
        <source>Off: every request goes to one region only.</source>
        <translation>متوقف: يذهب كل طلب إلى منطقة واحدة فقط.</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>المُرسلة</translation>
    </message>
    <message>
        <source>Won</source>
        <translation>الفائزة</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Saved per win</source>
        <translation>التوفير لكل فوز</translation>
    </message>
    <message>
        <source>Decisions</source>
        <translation>القرارات</translation>
    </message>
    <message>
        <source>Hedged</source>
        <translation>المُحوَّط</translation>
    </message>
    <message>
        <source>Time saved</source>
        <translation>الوقت المُوفَّر</translation>
    </message>
    <message>
        <source>Sent, won and time saved: the last minute. Decisions and the hedged share: since the router started.</source>
        <translation>المُرسلة والفائزة والوقت المُوفَّر: الدقيقة الأخيرة. القرارات والحصة المُحوَّطة: منذ بدء الموجّه.</translation>
    </message>
    <message>
        <source>Policy file</source>
        <translation>ملف السياسة</translation>
    </message>
</context>
<context>
    <name>TrafficRegionPanel</name>
    <message>
        <source>Drained by %1 at %2:</source>
        <translation>فُرّغت بواسطة %1 عند %2:</translation>
    </message>
    <message>
        <source>Failed over to %1 by %2 at %3:</source>
        <translation>حُوّلت إلى %1 بواسطة %2 عند %3:</translation>
    </message>
    <message>
        <source>Failed over by %1 at %2:</source>
        <translation>حُوّلت بواسطة %1 عند %2:</translation>
    </message>
    <message>
        <source>%1 Last check: %2</source>
        <translation>%1 آخر فحص: %2</translation>
    </message>
    <message>
        <source>No region selected</source>
        <translation>لم تُحدَّد منطقة</translation>
    </message>
    <message>
        <source>p50</source>
        <translation>p50</translation>
    </message>
    <message>
        <source>p99</source>
        <translation>p99</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>الحصة</translation>
    </message>
    <message>
        <source>Hedges won</source>
        <translation>التحوطات الفائزة</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 من %2</translation>
    </message>
    <message numerus="yes">
        <source>Last %Ln minute(s)</source>
        <translation>
            <numerusform>آخر %Ln دقيقة</numerusform>
            <numerusform>آخر دقيقة</numerusform>
            <numerusform>آخر دقيقتين</numerusform>
            <numerusform>آخر %Ln دقائق</numerusform>
            <numerusform>آخر %Ln دقيقة</numerusform>
            <numerusform>آخر %Ln دقيقة</numerusform>
        </translation>
    </message>
    <message>
        <source>Requests/s</source>
        <translation>طلب/ث</translation>
    </message>
    <message>
        <source>p95 (ms)</source>
        <translation>p95 (مللي ث)</translation>
    </message>
    <message>
        <source>Drain%1</source>
        <translation>تفريغ%1</translation>
    </message>
    <message>
        <source>Drain %1</source>
        <translation>تفريغ %1</translation>
    </message>
    <message>
        <source>Undrain%1</source>
        <translation>إلغاء التفريغ%1</translation>
    </message>
    <message>
        <source>Return %1 to service</source>
        <translation>إعادة %1 إلى الخدمة</translation>
    </message>
    <message>
        <source>Fail over to%1</source>
        <translation>تحويل إلى%1</translation>
    </message>
    <message>
        <source>Force the failover of %1</source>
        <translation>فرض تحويل %1</translation>
    </message>
</context>
<context>
    <name>TrafficTotalCard</name>
    <message>
        <source>%1 ms</source>
        <translation>%1 م.ث</translation>
    </message>
    <message>
        <source>All regions</source>
        <translation>كل المناطق</translation>
    </message>
    <message numerus="yes">
        <source>Last %Ln second(s)</source>
        <translation>
            <numerusform>آخر %Ln ثانية</numerusform>
            <numerusform>آخر ثانية</numerusform>
            <numerusform>آخر ثانيتين</numerusform>
            <numerusform>آخر %Ln ثوانٍ</numerusform>
            <numerusform>آخر %Ln ثانية</numerusform>
            <numerusform>آخر %Ln ثانية</numerusform>
        </translation>
    </message>
    <message>
        <source>Serving</source>
        <translation>في الخدمة</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 من %2</translation>
    </message>
    <message>
        <source>p95</source>
        <translation>p95</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>الأخطاء</translation>
    </message>
    <message>
        <source>Requests/s</source>
        <translation>طلب/ث</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>الطلبات</translation>
    </message>
    <message>
        <source>Hedged</source>
        <translation>المُحوَّط</translation>
    </message>
</context>
<context>
    <name>TrafficWhatIfView</name>
    <message>
        <source>Pick a region to see who would move if it were drained.</source>
        <translation>اختر منطقة لترى من سينتقل لو فُرّغت.</translation>
    </message>
    <message>
        <source>Working out who would move%1</source>
        <translation>جارٍ حساب من سينتقل%1</translation>
    </message>
    <message>
        <source>No answer: %1</source>
        <translation>لا إجابة: %1</translation>
    </message>
    <message>
        <source>Draining %1 would move no client country and no tenant.</source>
        <translation>لن ينقل تفريغ %1 أي بلد عملاء ولا أي مستأجر.</translation>
    </message>
    <message>
        <source>Draining %1 would move %2 and %3.</source>
        <translation>سينقل تفريغ %1 ‏%2 و%3.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln country(ies)</source>
        <translation>
            <numerusform>لا بلدان</numerusform>
            <numerusform>بلد واحد</numerusform>
            <numerusform>بلدان</numerusform>
            <numerusform>%Ln بلدان</numerusform>
            <numerusform>%Ln بلدًا</numerusform>
            <numerusform>%Ln بلد</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln tenant(s)</source>
        <translation>
            <numerusform>لا مستأجرين</numerusform>
            <numerusform>مستأجر واحد</numerusform>
            <numerusform>مستأجران</numerusform>
            <numerusform>%Ln مستأجرين</numerusform>
            <numerusform>%Ln مستأجرًا</numerusform>
            <numerusform>%Ln مستأجر</numerusform>
        </translation>
    </message>
    <message>
        <source>If this region were drained</source>
        <translation>لو فُرّغت هذه المنطقة</translation>
    </message>
    <message>
        <source>Nowhere</source>
        <translation>لا مكان</translation>
    </message>
    <message>
        <source>Where they would go</source>
        <translation>إلى أين سيذهبون</translation>
    </message>
    <message>
        <source>Countries that would move</source>
        <translation>البلدان التي ستنتقل</translation>
    </message>
    <message>
        <source>Countries (%1)</source>
        <translation>البلدان (%1)</translation>
    </message>
    <message>
        <source>No country moves.</source>
        <translation>لا ينتقل أي بلد.</translation>
    </message>
    <message>
        <source>Tenants (%1)</source>
        <translation>المستأجرون (%1)</translation>
    </message>
    <message>
        <source>No tenant moves.</source>
        <translation>لا ينتقل أي مستأجر.</translation>
    </message>
</context>
<context>
    <name>TrafficWords</name>
    <message>
        <source>%1%</source>
        <comment>percent</comment>
        <translation>%1٪</translation>
    </message>
    <message numerus="yes">
        <source>%Ln country(ies)</source>
        <translation>
            <numerusform>لا بلدان</numerusform>
            <numerusform>بلد واحد</numerusform>
            <numerusform>بلدان</numerusform>
            <numerusform>%Ln بلدان</numerusform>
            <numerusform>%Ln بلدًا</numerusform>
            <numerusform>%Ln بلد</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln tenant(s)</source>
        <translation>
            <numerusform>لا مستأجرين</numerusform>
            <numerusform>مستأجر واحد</numerusform>
            <numerusform>مستأجران</numerusform>
            <numerusform>%Ln مستأجرين</numerusform>
            <numerusform>%Ln مستأجرًا</numerusform>
            <numerusform>%Ln مستأجر</numerusform>
        </translation>
    </message>
    <message>
        <source>, </source>
        <comment>list separator</comment>
        <translation>، </translation>
    </message>
    <message>
        <source>Healthy</source>
        <translation>سليمة</translation>
    </message>
    <message>
        <source>Unhealthy</source>
        <translation>معطّلة</translation>
    </message>
    <message>
        <source>Drained</source>
        <translation>مُفرَّغة</translation>
    </message>
    <message>
        <source>Failed over</source>
        <translation>مُحوَّلة</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>غير معروفة</translation>
    </message>
    <message>
        <source>Serving: its health checks pass.</source>
        <translation>في الخدمة: تنجح فحوص سلامتها.</translation>
    </message>
    <message>
        <source>Not serving: its health checks fail. Its clients go to its failover chain.</source>
        <translation>خارج الخدمة: تفشل فحوص سلامتها. ينتقل عملاؤها إلى سلسلة التحويل.</translation>
    </message>
    <message>
        <source>Not serving: an operator drained it. Its clients go to its failover chain.</source>
        <translation>خارج الخدمة: فرّغها أحد المشغّلين. ينتقل عملاؤها إلى سلسلة التحويل.</translation>
    </message>
    <message>
        <source>Not serving: an operator forced its traffic to another region.</source>
        <translation>خارج الخدمة: حوّل أحد المشغّلين حركتها إلى منطقة أخرى.</translation>
    </message>
    <message>
        <source>Serving, but no health check has reached a verdict yet.</source>
        <translation>في الخدمة، لكن لم يصل أي فحص سلامة إلى حكم بعد.</translation>
    </message>
    <message>
        <source>IP allow list</source>
        <translation>قائمة السماح لعناوين IP</translation>
    </message>
    <message>
        <source>IP deny list</source>
        <translation>قائمة الحظر لعناوين IP</translation>
    </message>
    <message>
        <source>Geo-fence</source>
        <translation>سياج جغرافي</translation>
    </message>
    <message>
        <source>Sticky sessions</source>
        <translation>الجلسات الثابتة</translation>
    </message>
    <message>
        <source>Weighted split</source>
        <translation>تقسيم موزون</translation>
    </message>
    <message>
        <source>Lowest latency</source>
        <translation>أقل زمن استجابة</translation>
    </message>
    <message>
        <source>Nearest region</source>
        <translation>أقرب منطقة</translation>
    </message>
    <message>
        <source>Failover chains</source>
        <translation>سلاسل التحويل</translation>
    </message>
    <message numerus="yes">
        <source>%1 and %Ln more</source>
        <translation>
            <numerusform>%1</numerusform>
            <numerusform>%1 وواحد آخر</numerusform>
            <numerusform>%1 واثنان آخران</numerusform>
            <numerusform>%1 و%Ln أخرى</numerusform>
            <numerusform>%1 و%Ln أخرى</numerusform>
            <numerusform>%1 و%Ln أخرى</numerusform>
        </translation>
    </message>
    <message>
        <source>Every request</source>
        <translation>كل طلب</translation>
    </message>
    <message>
        <source>clients in %1</source>
        <translation>العملاء في %1</translation>
    </message>
    <message>
        <source>paths starting with %1</source>
        <translation>المسارات التي تبدأ بـ %1</translation>
    </message>
    <message>
        <source>tenants %1</source>
        <translation>المستأجرون %1</translation>
    </message>
    <message>
        <source>; </source>
        <comment>condition separator</comment>
        <translation>؛ </translation>
    </message>
    <message numerus="yes">
        <source>%Ln h</source>
        <translation>
            <numerusform>%Ln ساعة</numerusform>
            <numerusform>ساعة واحدة</numerusform>
            <numerusform>ساعتان</numerusform>
            <numerusform>%Ln ساعات</numerusform>
            <numerusform>%Ln ساعة</numerusform>
            <numerusform>%Ln ساعة</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln min</source>
        <translation>
            <numerusform>%Ln دقيقة</numerusform>
            <numerusform>دقيقة واحدة</numerusform>
            <numerusform>دقيقتان</numerusform>
            <numerusform>%Ln دقائق</numerusform>
            <numerusform>%Ln دقيقة</numerusform>
            <numerusform>%Ln دقيقة</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln s</source>
        <translation>
            <numerusform>%Ln ث</numerusform>
            <numerusform>%Ln ث</numerusform>
            <numerusform>%Ln ث</numerusform>
            <numerusform>%Ln ث</numerusform>
            <numerusform>%Ln ث</numerusform>
            <numerusform>%Ln ث</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Refuses clients outside %Ln network(s): %1</source>
        <translation>
            <numerusform>يرفض العملاء خارج الشبكات: %1</numerusform>
            <numerusform>يرفض العملاء خارج شبكة واحدة: %1</numerusform>
            <numerusform>يرفض العملاء خارج شبكتين: %1</numerusform>
            <numerusform>يرفض العملاء خارج %Ln شبكات: %1</numerusform>
            <numerusform>يرفض العملاء خارج %Ln شبكة: %1</numerusform>
            <numerusform>يرفض العملاء خارج %Ln شبكة: %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Refuses clients inside %Ln network(s): %1</source>
        <translation>
            <numerusform>يرفض العملاء داخل الشبكات: %1</numerusform>
            <numerusform>يرفض العملاء داخل شبكة واحدة: %1</numerusform>
            <numerusform>يرفض العملاء داخل شبكتين: %1</numerusform>
            <numerusform>يرفض العملاء داخل %Ln شبكات: %1</numerusform>
            <numerusform>يرفض العملاء داخل %Ln شبكة: %1</numerusform>
            <numerusform>يرفض العملاء داخل %Ln شبكة: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Refuses clients from %1.</source>
        <translation>يرفض العملاء من %1.</translation>
    </message>
    <message>
        <source>Refuses clients outside %1.</source>
        <translation>يرفض العملاء خارج %1.</translation>
    </message>
    <message>
        <source>Serves them only from %1.</source>
        <translation>يخدمهم فقط من %1.</translation>
    </message>
    <message>
        <source>Restricts nothing.</source>
        <translation>لا يقيّد شيئًا.</translation>
    </message>
    <message>
        <source>Keeps a client on its region for %1 (cookie %2).</source>
        <translation>يُبقي العميل على منطقته لمدة %1 (ملف تعريف الارتباط %2).</translation>
    </message>
    <message>
        <source>Keeps a client on its region for %1 (header %2).</source>
        <translation>يُبقي العميل على منطقته لمدة %1 (الترويسة %2).</translation>
    </message>
    <message>
        <source>%1 %2%</source>
        <translation>%1 %2٪</translation>
    </message>
    <message>
        <source>Splits clients: %1.</source>
        <translation>يقسّم العملاء: %1.</translation>
    </message>
    <message>
        <source>Each session keeps its bucket.</source>
        <translation>تحتفظ كل جلسة بحصتها.</translation>
    </message>
    <message>
        <source>Each client network keeps its bucket.</source>
        <translation>تحتفظ كل شبكة عملاء بحصتها.</translation>
    </message>
    <message numerus="yes">
        <source>Sends a client to the region with the lowest measured round trip from its network (or country), once there are %Ln sample(s).</source>
        <translation>
            <numerusform>يرسل العميل إلى المنطقة ذات أقل زمن ذهاب وإياب مقيس من شبكته (أو بلده) حين تتوفر العينات.</numerusform>
            <numerusform>يرسل العميل إلى المنطقة ذات أقل زمن ذهاب وإياب مقيس من شبكته (أو بلده) حين تتوفر عينة واحدة.</numerusform>
            <numerusform>يرسل العميل إلى المنطقة ذات أقل زمن ذهاب وإياب مقيس من شبكته (أو بلده) حين تتوفر عينتان.</numerusform>
            <numerusform>يرسل العميل إلى المنطقة ذات أقل زمن ذهاب وإياب مقيس من شبكته (أو بلده) حين تتوفر %Ln عينات.</numerusform>
            <numerusform>يرسل العميل إلى المنطقة ذات أقل زمن ذهاب وإياب مقيس من شبكته (أو بلده) حين تتوفر %Ln عينة.</numerusform>
            <numerusform>يرسل العميل إلى المنطقة ذات أقل زمن ذهاب وإياب مقيس من شبكته (أو بلده) حين تتوفر %Ln عينة.</numerusform>
        </translation>
    </message>
    <message>
        <source>Sends a client to the nearest region by great-circle distance from its country.</source>
        <translation>يرسل العميل إلى أقرب منطقة بمسافة الدائرة العظمى من بلده.</translation>
    </message>
    <message>
        <source>Bias: %1.</source>
        <translation>الانحياز: %1.</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message numerus="yes">
        <source>Hands an unavailable region&apos;s clients to the next available region of its chain (%Ln chain(s)).</source>
        <translation>
            <numerusform>يسلّم عملاء المنطقة غير المتاحة إلى المنطقة المتاحة التالية في سلسلتها (لا سلاسل).</numerusform>
            <numerusform>يسلّم عملاء المنطقة غير المتاحة إلى المنطقة المتاحة التالية في سلسلتها (سلسلة واحدة).</numerusform>
            <numerusform>يسلّم عملاء المنطقة غير المتاحة إلى المنطقة المتاحة التالية في سلسلتها (سلسلتان).</numerusform>
            <numerusform>يسلّم عملاء المنطقة غير المتاحة إلى المنطقة المتاحة التالية في سلسلتها (%Ln سلاسل).</numerusform>
            <numerusform>يسلّم عملاء المنطقة غير المتاحة إلى المنطقة المتاحة التالية في سلسلتها (%Ln سلسلة).</numerusform>
            <numerusform>يسلّم عملاء المنطقة غير المتاحة إلى المنطقة المتاحة التالية في سلسلتها (%Ln سلسلة).</numerusform>
        </translation>
    </message>
    <message>
        <source>Drain</source>
        <translation>تفريغ</translation>
    </message>
    <message>
        <source>Undrain</source>
        <translation>إلغاء التفريغ</translation>
    </message>
    <message>
        <source>Fail over</source>
        <translation>تحويل</translation>
    </message>
    <message>
        <source>Save weights</source>
        <translation>حفظ الأوزان</translation>
    </message>
    <message>
        <source>%1 drained.</source>
        <translation>فُرّغت %1.</translation>
    </message>
    <message>
        <source>%1 is back in service.</source>
        <translation>عادت %1 إلى الخدمة.</translation>
    </message>
    <message>
        <source>%1 failed over.</source>
        <translation>حُوّلت %1.</translation>
    </message>
    <message>
        <source>Weights of %1 changed.</source>
        <translation>تغيّرت أوزان %1.</translation>
    </message>
    <message>
        <source>Could not drain the region:</source>
        <translation>تعذّر تفريغ المنطقة:</translation>
    </message>
    <message>
        <source>Could not return the region to service:</source>
        <translation>تعذّرت إعادة المنطقة إلى الخدمة:</translation>
    </message>
    <message>
        <source>Could not fail the region over:</source>
        <translation>تعذّر تحويل المنطقة:</translation>
    </message>
    <message>
        <source>Could not change the weights:</source>
        <translation>تعذّر تغيير الأوزان:</translation>
    </message>
    <message numerus="yes">
        <source>Say why in at least %Ln character(s).</source>
        <translation>
            <numerusform>اذكر السبب.</numerusform>
            <numerusform>اذكر السبب في حرف واحد على الأقل.</numerusform>
            <numerusform>اذكر السبب في حرفين على الأقل.</numerusform>
            <numerusform>اذكر السبب في %Ln أحرف على الأقل.</numerusform>
            <numerusform>اذكر السبب في %Ln حرفًا على الأقل.</numerusform>
            <numerusform>اذكر السبب في %Ln حرف على الأقل.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>At most %Ln character(s).</source>
        <translation>
            <numerusform>لا أحرف.</numerusform>
            <numerusform>حرف واحد على الأكثر.</numerusform>
            <numerusform>حرفان على الأكثر.</numerusform>
            <numerusform>%Ln أحرف على الأكثر.</numerusform>
            <numerusform>%Ln حرفًا على الأكثر.</numerusform>
            <numerusform>%Ln حرف على الأكثر.</numerusform>
        </translation>
    </message>
    <message>
        <source>Control characters are not allowed.</source>
        <translation>أحرف التحكم غير مسموح بها.</translation>
    </message>
</context>
<context>
    <name>UcDialog</name>
    <message>
        <source>OK</source>
        <translation>موافق</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>إلغاء</translation>
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

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ar">
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
</context>
</TS>

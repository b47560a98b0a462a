<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>AuditBanner</name>
    <message numerus="yes">
        <source>%Ln signed tree head(s), consistent; final size %1, root</source>
        <translation>
            <numerusform>%Ln signed tree head, consistent; final size %1, root</numerusform>
            <numerusform>%Ln signed tree heads, consistent; final size %1, root</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Verified: %Ln event(s), the complete log</source>
        <translation>
            <numerusform>Verified: %Ln event, the complete log</numerusform>
            <numerusform>Verified: %Ln events, the complete log</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Verified: %Ln event(s), a filtered export</source>
        <translation>
            <numerusform>Verified: %Ln event, a filtered export</numerusform>
            <numerusform>Verified: %Ln events, a filtered export</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AuditDetailPane</name>
    <message numerus="yes">
        <source>Audit path, deepest first (%Ln hash(es))</source>
        <translation>
            <numerusform>Audit path, deepest first (%Ln hash)</numerusform>
            <numerusform>Audit path, deepest first (%Ln hashes)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AuditPage</name>
    <message numerus="yes">
        <source>Exported %Ln event(s) to %1</source>
        <translation>
            <numerusform>Exported %Ln event to %1</numerusform>
            <numerusform>Exported %Ln events to %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %Ln event(s) match</source>
        <translation>
            <numerusform>%1 of %Ln event match</numerusform>
            <numerusform>%1 of %Ln events match</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln event(s)</source>
        <translation>
            <numerusform>%Ln event</numerusform>
            <numerusform>%Ln events</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message numerus="yes">
        <source>%Ln region(s) down</source>
        <translation>
            <numerusform>%Ln region down</numerusform>
            <numerusform>%Ln regions down</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RegionsPage</name>
    <message numerus="yes">
        <source>%Ln region(s) down</source>
        <translation>
            <numerusform>%Ln region down</numerusform>
            <numerusform>%Ln regions down</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln region(s) not reporting</source>
        <translation>
            <numerusform>%Ln region not reporting</numerusform>
            <numerusform>%Ln regions not reporting</numerusform>
        </translation>
    </message>
</context>
</TS>

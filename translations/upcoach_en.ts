<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
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

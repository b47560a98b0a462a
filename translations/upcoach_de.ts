<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>Main</name>
    <message>
        <source>Regions</source>
        <translation>Regionen</translation>
    </message>
    <message>
        <source>Waiting for data</source>
        <translation>Warte auf Daten</translation>
    </message>
    <message numerus="yes">
        <source>%Ln region(s) down</source>
        <translation>
            <numerusform>%Ln Region ausgefallen</numerusform>
            <numerusform>%Ln Regionen ausgefallen</numerusform>
        </translation>
    </message>
    <message>
        <source>Partially reporting</source>
        <translation>Meldungen unvollständig</translation>
    </message>
    <message>
        <source>All regions operational</source>
        <translation>Alle Regionen in Betrieb</translation>
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
        <translation>Noch nicht geprüft</translation>
    </message>
    <message>
        <source>Up since %1</source>
        <translation>Verfügbar seit %1</translation>
    </message>
    <message>
        <source>Down since %1</source>
        <translation>Ausgefallen seit %1</translation>
    </message>
    <message>
        <source>Unknown since %1</source>
        <translation>Unbekannt seit %1</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <comment>city, country</comment>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>Round trip</source>
        <translation>Umlaufzeit</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Verbinden</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>Verbindungen</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <source>PostgreSQL</source>
        <translation>PostgreSQL</translation>
    </message>
    <message>
        <source>Database size</source>
        <translation>DB-Größe</translation>
    </message>
    <message>
        <source>The database did not answer.</source>
        <translation>Die Datenbank hat nicht geantwortet.</translation>
    </message>
    <message>
        <source>Checked %1</source>
        <translation>Geprüft %1</translation>
    </message>
</context>
<context>
    <name>RegionsPage</name>
    <message>
        <source>Regions up</source>
        <translation>Verfügbare Regionen</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>Waiting for the first health check</source>
        <translation>Warte auf die erste Zustandsprüfung</translation>
    </message>
    <message numerus="yes">
        <source>%Ln region(s) down</source>
        <translation>
            <numerusform>%Ln Region ausgefallen</numerusform>
            <numerusform>%Ln Regionen ausgefallen</numerusform>
        </translation>
    </message>
    <message>
        <source>All regions healthy</source>
        <translation>Alle Regionen fehlerfrei</translation>
    </message>
    <message>
        <source>Median round trip</source>
        <translation>Median der Umlaufzeit</translation>
    </message>
    <message>
        <source>Across the regions that are up</source>
        <translation>Über alle verfügbaren Regionen</translation>
    </message>
    <message>
        <source>Slowest round trip</source>
        <translation>Langsamste Umlaufzeit</translation>
    </message>
    <message>
        <source>Last health check</source>
        <translation>Letzte Zustandsprüfung</translation>
    </message>
    <message numerus="yes">
        <source>%Ln region(s) not reporting</source>
        <translation>
            <numerusform>%Ln Region meldet nicht</numerusform>
            <numerusform>%Ln Regionen melden nicht</numerusform>
        </translation>
    </message>
    <message>
        <source>All regions reporting</source>
        <translation>Alle Regionen melden</translation>
    </message>
</context>
<context>
    <name>UcFormat</name>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>Verfügbar</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>Ausgefallen</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>Unbekannt</translation>
    </message>
    <message>
        <source>Primary</source>
        <translation>Primär</translation>
    </message>
    <message>
        <source>Standby</source>
        <translation>Standby</translation>
    </message>
</context>
</TS>

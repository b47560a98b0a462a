<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>AuditBanner</name>
    <message>
        <source>Verification failed: these events cannot be trusted</source>
        <translation>Prüfung fehlgeschlagen: diesen Ereignissen ist nicht zu trauen</translation>
    </message>
    <message>
        <source>Verifying the bundle%1</source>
        <translation>Bündel wird geprüft%1</translation>
    </message>
    <message>
        <source>Not verified</source>
        <translation>Nicht geprüft</translation>
    </message>
    <message>
        <source>Tenant %1</source>
        <translation>Mandant %1</translation>
    </message>
    <message>
        <source>Platform events only</source>
        <translation>Nur Plattform-Ereignisse</translation>
    </message>
    <message>
        <source>from %1</source>
        <translation>ab %1</translation>
    </message>
    <message>
        <source>until %1</source>
        <translation>bis %1</translation>
    </message>
    <message>
        <source>No events</source>
        <translation>Keine Ereignisse</translation>
    </message>
    <message>
        <source>Sequence %1 to %2, %3 to %4 (UTC)</source>
        <translation>Sequenz %1 bis %2, %3 bis %4 (UTC)</translation>
    </message>
    <message>
        <source>The events below are shown as read from the bundle. Do not rely on them; ask the operator for an intact export.</source>
        <translation>Die Ereignisse unten werden so gezeigt, wie sie im Bündel stehen. Verlassen Sie sich nicht darauf; fordern Sie beim Betreiber einen intakten Export an.</translation>
    </message>
    <message>
        <source>Checking signatures, tree-head consistency, inclusion and file hashes. The events below are not verified yet.</source>
        <translation>Signaturen, Konsistenz der Baumköpfe, Einschluss und Datei-Hashes werden geprüft. Die Ereignisse unten sind noch nicht verifiziert.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln signed tree head(s), consistent; final size %1, root</source>
        <translation>
            <numerusform>%Ln signierter Baumkopf, konsistent; Endgröße %1, Wurzel</numerusform>
            <numerusform>%Ln signierte Baumköpfe, konsistent; Endgröße %1, Wurzel</numerusform>
        </translation>
    </message>
    <message>
        <source>Signer key SHA-256</source>
        <translation>Signaturschlüssel SHA-256</translation>
    </message>
    <message>
        <source>matches the pinned fingerprint</source>
        <translation>stimmt mit dem festgelegten Fingerabdruck überein</translation>
    </message>
    <message>
        <source>not pinned: compare it with the fingerprint the operator publishes</source>
        <translation>nicht festgelegt: mit dem Fingerabdruck des Betreibers vergleichen</translation>
    </message>
    <message>
        <source>Source: %1</source>
        <translation>Quelle: %1</translation>
    </message>
    <message numerus="yes">
        <source>Verified: %Ln event(s), the complete log</source>
        <translation>
            <numerusform>Verifiziert: %Ln Ereignis, das vollständige Protokoll</numerusform>
            <numerusform>Verifiziert: %Ln Ereignisse, das vollständige Protokoll</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Verified: %Ln event(s), a filtered export</source>
        <translation>
            <numerusform>Verifiziert: %Ln Ereignis, ein gefilterter Export</numerusform>
            <numerusform>Verifiziert: %Ln Ereignisse, ein gefilterter Export</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot read the audit events</source>
        <translation>Die Audit-Ereignisse lassen sich nicht lesen</translation>
    </message>
</context>
<context>
    <name>AuditDetailPane</name>
    <message>
        <source>Waiting for the bundle&apos;s verification%1</source>
        <translation>Warte auf die Prüfung des Bündels%1</translation>
    </message>
    <message>
        <source>Computing the inclusion proof%1</source>
        <translation>Einschlussbeweis wird berechnet%1</translation>
    </message>
    <message>
        <source>Included: the proof verifies against the final signed tree head</source>
        <translation>Enthalten: der Beweis stimmt mit dem letzten signierten Baumkopf überein</translation>
    </message>
    <message>
        <source>The proof does not verify</source>
        <translation>Der Beweis ist ungültig</translation>
    </message>
    <message>
        <source>No proof: the bundle failed verification, so none of its tree heads can be trusted</source>
        <translation>Kein Beweis: das Bündel hat die Prüfung nicht bestanden, keinem seiner Baumköpfe ist zu trauen</translation>
    </message>
    <message>
        <source>Not yet covered by a signed tree head</source>
        <translation>Noch von keinem signierten Baumkopf erfasst</translation>
    </message>
    <message>
        <source>No inclusion proof available</source>
        <translation>Kein Einschlussbeweis verfügbar</translation>
    </message>
    <message>
        <source>Select an event to see all its fields and its inclusion proof.</source>
        <translation>Wählen Sie ein Ereignis, um alle Felder und seinen Einschlussbeweis zu sehen.</translation>
    </message>
    <message>
        <source>Event %1</source>
        <translation>Ereignis %1</translation>
    </message>
    <message>
        <source>This event cannot be read: %1</source>
        <translation>Dieses Ereignis ist nicht lesbar: %1</translation>
    </message>
    <message>
        <source>Time (UTC)</source>
        <translation>Zeit (UTC)</translation>
    </message>
    <message>
        <source>Actor</source>
        <translation>Akteur</translation>
    </message>
    <message>
        <source>Impersonator</source>
        <translation>Vertreter</translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation>Mandant</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Classification</source>
        <translation>Klassifizierung</translation>
    </message>
    <message>
        <source>Source IP</source>
        <translation>Quell-IP</translation>
    </message>
    <message>
        <source>Request ID</source>
        <translation>Anfrage-ID</translation>
    </message>
    <message>
        <source>Event ID</source>
        <translation>Ereignis-ID</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>Inclusion proof</source>
        <translation>Einschlussbeweis</translation>
    </message>
    <message>
        <source>Leaf index</source>
        <translation>Blattindex</translation>
    </message>
    <message>
        <source>Leaf hash</source>
        <translation>Blatt-Hash</translation>
    </message>
    <message>
        <source>Tree size</source>
        <translation>Baumgröße</translation>
    </message>
    <message>
        <source>Root hash</source>
        <translation>Wurzel-Hash</translation>
    </message>
    <message numerus="yes">
        <source>Audit path, deepest first (%Ln hash(es))</source>
        <translation>
            <numerusform>Prüfpfad, tiefster zuerst (%Ln Hash)</numerusform>
            <numerusform>Prüfpfad, tiefster zuerst (%Ln Hashes)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AuditFilterBar</name>
    <message>
        <source>Search actor, target, action, request ID, IP address, details%1</source>
        <translation>Akteur, Ziel, Aktion, Anfrage-ID, IP-Adresse, Details durchsuchen%1</translation>
    </message>
    <message>
        <source>From YYYY-MM-DD hh:mm</source>
        <translation>Ab JJJJ-MM-TT hh:mm</translation>
    </message>
    <message>
        <source>Until YYYY-MM-DD hh:mm</source>
        <translation>Bis JJJJ-MM-TT hh:mm</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>Filter zurücksetzen</translation>
    </message>
    <message>
        <source>Export CSV%1</source>
        <translation>CSV exportieren%1</translation>
    </message>
    <message>
        <source>Actor contains%1</source>
        <translation>Akteur enthält%1</translation>
    </message>
    <message>
        <source>All tenants</source>
        <translation>Alle Mandanten</translation>
    </message>
    <message>
        <source>Tenant (exact)</source>
        <translation>Mandant (exakt)</translation>
    </message>
    <message>
        <source>All actions</source>
        <translation>Alle Aktionen</translation>
    </message>
    <message>
        <source>Action (exact)</source>
        <translation>Aktion (exakt)</translation>
    </message>
    <message>
        <source>Any outcome</source>
        <translation>Jedes Ergebnis</translation>
    </message>
    <message>
        <source>Outcome (exact)</source>
        <translation>Ergebnis (exakt)</translation>
    </message>
    <message>
        <source>All classifications</source>
        <translation>Alle Klassifizierungen</translation>
    </message>
    <message>
        <source>Classification (exact)</source>
        <translation>Klassifizierung (exakt)</translation>
    </message>
</context>
<context>
    <name>AuditPage</name>
    <message>
        <source>Exporting%1 %2%</source>
        <translation>Exportiere%1 %2 %</translation>
    </message>
    <message numerus="yes">
        <source>Exported %Ln event(s) to %1</source>
        <translation>
            <numerusform>%Ln Ereignis nach %1 exportiert</numerusform>
            <numerusform>%Ln Ereignisse nach %1 exportiert</numerusform>
        </translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>Export fehlgeschlagen: %1</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %Ln event(s) match</source>
        <translation>
            <numerusform>%1 von %Ln Ereignis passen</numerusform>
            <numerusform>%1 von %Ln Ereignissen passen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln event(s)</source>
        <translation>
            <numerusform>%Ln Ereignis</numerusform>
            <numerusform>%Ln Ereignisse</numerusform>
        </translation>
    </message>
    <message>
        <source>Export the filtered events as CSV</source>
        <translation>Gefilterte Ereignisse als CSV exportieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Alle Dateien (*)</translation>
    </message>
</context>
<context>
    <name>AuditTable</name>
    <message>
        <source>No events could be read.</source>
        <translation>Es konnten keine Ereignisse gelesen werden.</translation>
    </message>
    <message>
        <source>Reading events%1</source>
        <translation>Ereignisse werden gelesen%1</translation>
    </message>
    <message>
        <source>Filtering%1</source>
        <translation>Filtere%1</translation>
    </message>
    <message>
        <source>There are no events.</source>
        <translation>Es gibt keine Ereignisse.</translation>
    </message>
    <message>
        <source>No events match the filters.</source>
        <translation>Keine Ereignisse passen zu den Filtern.</translation>
    </message>
    <message>
        <source># %1</source>
        <translation># %1</translation>
    </message>
    <message>
        <source>Time (UTC)</source>
        <translation>Zeit (UTC)</translation>
    </message>
    <message>
        <source>Actor</source>
        <translation>Akteur</translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation>Mandant</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Ergebnis</translation>
    </message>
</context>
<context>
    <name>AuditTableRow</name>
    <message>
        <source>%1 (impersonated)</source>
        <translation>%1 (vertreten)</translation>
    </message>
</context>
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
    <message>
        <source>Audit</source>
        <translation>Audit</translation>
    </message>
    <message>
        <source>Verified</source>
        <translation>Verifiziert</translation>
    </message>
    <message>
        <source>Verification failed</source>
        <translation>Prüfung fehlgeschlagen</translation>
    </message>
    <message>
        <source>Verifying</source>
        <translation>Wird geprüft</translation>
    </message>
    <message>
        <source>Not verified</source>
        <translation>Nicht geprüft</translation>
    </message>
    <message>
        <source>Audit log unreadable</source>
        <translation>Audit-Protokoll unlesbar</translation>
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
    <message>
        <source>Success</source>
        <translation>Erfolg</translation>
    </message>
    <message>
        <source>Failure</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Denied</source>
        <translation>Abgelehnt</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>Plattform</translation>
    </message>
</context>
</TS>

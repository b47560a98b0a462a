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
    <message>
        <source>Tenants</source>
        <translation>Mandanten</translation>
    </message>
    <message>
        <source>Registry unreachable</source>
        <translation>Register nicht erreichbar</translation>
    </message>
    <message>
        <source>Registry connected</source>
        <translation>Register verbunden</translation>
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
    <name>RegionDatabaseView</name>
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
    <name>RegionsPage</name>
    <message>
        <source>No traffic data: %1</source>
        <translation>Keine Verkehrsdaten: %1</translation>
    </message>
    <message>
        <source>Waiting for traffic data%1</source>
        <translation>Warte auf Verkehrsdaten%1</translation>
    </message>
    <message>
        <source>%1 requests in the last minute%2updated %3</source>
        <translation>%1 Anfragen in der letzten Minute%2aktualisiert %3</translation>
    </message>
    <message>
        <source>Traffic</source>
        <translation>Verkehr</translation>
    </message>
    <message>
        <source>Traffic policy</source>
        <translation>Routing-Richtlinie</translation>
    </message>
    <message>
        <source>What if</source>
        <translation>Was wäre, wenn</translation>
    </message>
    <message>
        <source>Databases</source>
        <translation>Datenbanken</translation>
    </message>
</context>
<context>
    <name>TenantConfirmDialog</name>
    <message numerus="yes">
        <source>Activate %Ln tenant(s)?</source>
        <translation>
            <numerusform>%Ln Mandanten aktivieren?</numerusform>
            <numerusform>%Ln Mandanten aktivieren?</numerusform>
        </translation>
    </message>
    <message>
        <source>Activate %1?</source>
        <translation>%1 aktivieren?</translation>
    </message>
    <message numerus="yes">
        <source>Reactivate %Ln tenant(s)?</source>
        <translation>
            <numerusform>%Ln Mandanten reaktivieren?</numerusform>
            <numerusform>%Ln Mandanten reaktivieren?</numerusform>
        </translation>
    </message>
    <message>
        <source>Reactivate %1?</source>
        <translation>%1 reaktivieren?</translation>
    </message>
    <message numerus="yes">
        <source>Suspend %Ln tenant(s)?</source>
        <translation>
            <numerusform>%Ln Mandanten sperren?</numerusform>
            <numerusform>%Ln Mandanten sperren?</numerusform>
        </translation>
    </message>
    <message>
        <source>Suspend %1?</source>
        <translation>%1 sperren?</translation>
    </message>
    <message numerus="yes">
        <source>Cancel %Ln subscription(s)?</source>
        <translation>
            <numerusform>%Ln Abonnement kündigen?</numerusform>
            <numerusform>%Ln Abonnements kündigen?</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancel the subscription of %1?</source>
        <translation>Abonnement von %1 kündigen?</translation>
    </message>
    <message numerus="yes">
        <source>%Ln selected tenant(s) will be left alone: their state does not allow this.</source>
        <translation>
            <numerusform>%Ln ausgewählter Mandant bleibt unverändert: sein Status lässt das nicht zu.</numerusform>
            <numerusform>%Ln ausgewählte Mandanten bleiben unverändert: ihr Status lässt das nicht zu.</numerusform>
        </translation>
    </message>
    <message>
        <source>Recorded in the audit log as %1.</source>
        <translation>Wird im Audit-Log als %1 protokolliert.</translation>
    </message>
    <message>
        <source>Rotate the data key of %1?</source>
        <translation>Datenschlüssel von %1 rotieren?</translation>
    </message>
    <message>
        <source>End the impersonation of %1?</source>
        <translation>Stellvertretung für %1 beenden?</translation>
    </message>
</context>
<context>
    <name>TenantDetailPane</name>
    <message>
        <source>Any domain</source>
        <translation>Jede Domain</translation>
    </message>
    <message>
        <source>This tenant cannot be read: %1</source>
        <translation>Dieser Mandant kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Loading the tenant%1</source>
        <translation>Mandant wird geladen%1</translation>
    </message>
    <message>
        <source>Select a tenant to see its configuration, limits, usage and history.</source>
        <translation>Wählen Sie einen Mandanten, um Konfiguration, Limits, Nutzung und Verlauf zu sehen.</translation>
    </message>
    <message>
        <source>%1 · %2 · %3 plan</source>
        <translation>%1 · %2 · Tarif %3</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>Übersicht</translation>
    </message>
    <message>
        <source>Configuration</source>
        <translation>Konfiguration</translation>
    </message>
    <message>
        <source>Limits &amp; features</source>
        <translation>Limits &amp; Flags</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Slug</source>
        <translation>Kürzel</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Parent</source>
        <translation>Übergeordnet</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>Tarif</translation>
    </message>
    <message>
        <source>Trial ends</source>
        <translation>Testphase endet</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Inhaber</translation>
    </message>
    <message>
        <source>Owner email</source>
        <translation>E-Mail des Inhabers</translation>
    </message>
    <message>
        <source>Placement</source>
        <translation>Platzierung</translation>
    </message>
    <message>
        <source>Home region</source>
        <translation>Heimatregion</translation>
    </message>
    <message>
        <source>Allowed regions</source>
        <translation>Erlaubte Regionen</translation>
    </message>
    <message>
        <source>Isolation</source>
        <translation>Isolierung</translation>
    </message>
    <message>
        <source>Data location</source>
        <translation>Speicherort</translation>
    </message>
    <message>
        <source>Provisioning</source>
        <translation>Bereitstellung</translation>
    </message>
    <message>
        <source>Provisioning error</source>
        <translation>Bereitstellungsfehler</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Datensatz</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Angelegt</translation>
    </message>
    <message>
        <source>Last changed</source>
        <translation>Zuletzt geändert</translation>
    </message>
    <message>
        <source>Suspended since</source>
        <translation>Gesperrt seit</translation>
    </message>
    <message>
        <source>Canceled on</source>
        <translation>Gekündigt am</translation>
    </message>
    <message>
        <source>Deleted for good after</source>
        <translation>Endgültig gelöscht nach</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Tenant ID</source>
        <translation>Mandanten-ID</translation>
    </message>
    <message>
        <source>Settings the tenant does not set use the platform default.</source>
        <translation>Einstellungen, die der Mandant nicht setzt, nutzen den Plattform-Standard.</translation>
    </message>
    <message>
        <source>custom</source>
        <translation>eigen</translation>
    </message>
    <message>
        <source>default</source>
        <translation>Standard</translation>
    </message>
    <message>
        <source>Edit settings%1</source>
        <translation>Einstellungen bearbeiten%1</translation>
    </message>
    <message>
        <source>Limit</source>
        <translation>Limit</translation>
    </message>
    <message>
        <source>Effective</source>
        <translation>Wirksam</translation>
    </message>
    <message>
        <source>%1 (custom)</source>
        <translation>%1 (eigen)</translation>
    </message>
    <message>
        <source>Feature flags</source>
        <translation>Funktionsschalter</translation>
    </message>
    <message>
        <source>%1 (plan: %2)</source>
        <translation>%1 (Tarif: %2)</translation>
    </message>
    <message>
        <source>No recorded changes.</source>
        <translation>Keine protokollierten Änderungen.</translation>
    </message>
    <message>
        <source>%1 by %2</source>
        <translation>%1 durch %2</translation>
    </message>
    <message>
        <source>Impersonate user%1</source>
        <translation>Als Benutzer handeln%1</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>Daten</translation>
    </message>
    <message>
        <source>Changes</source>
        <translation>Änderungen</translation>
    </message>
    <message>
        <source>The history cannot be read: %1</source>
        <translation>Der Verlauf kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>%1 by %2 acting as %3</source>
        <translation>%1 durch %2 als %3</translation>
    </message>
</context>
<context>
    <name>TenantEncryptionSection</name>
    <message>
        <source>Encryption</source>
        <translation>Verschlüsselung</translation>
    </message>
    <message>
        <source>The data keys cannot be read: %1</source>
        <translation>Die Datenschlüssel können nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>The tenant&apos;s data keys were destroyed when it was deleted.</source>
        <translation>Die Datenschlüssel des Mandanten wurden bei seiner Löschung vernichtet.</translation>
    </message>
    <message>
        <source>The tenant has no data key yet.</source>
        <translation>Der Mandant hat noch keinen Datenschlüssel.</translation>
    </message>
    <message>
        <source>Current data key</source>
        <translation>Aktueller Datenschlüssel</translation>
    </message>
    <message>
        <source>Version %1, created %2</source>
        <translation>Version %1, erstellt %2</translation>
    </message>
    <message>
        <source>Encrypted values</source>
        <translation>Verschlüsselte Werte</translation>
    </message>
    <message>
        <source>Awaiting re-encryption</source>
        <translation>Warten auf Neuverschlüsselung</translation>
    </message>
    <message>
        <source>Next rotation due</source>
        <translation>Nächste Rotation fällig</translation>
    </message>
    <message>
        <source>No rotation policy</source>
        <translation>Keine Rotationsrichtlinie</translation>
    </message>
    <message>
        <source>v%1</source>
        <translation>v%1</translation>
    </message>
    <message>
        <source>Current · created %1</source>
        <translation>Aktuell · erstellt %1</translation>
    </message>
    <message>
        <source>Created %1</source>
        <translation>Erstellt %1</translation>
    </message>
    <message>
        <source>Key-encryption key version %1, re-wrapped %2</source>
        <translation>Schlüsselverschlüsselungsschlüssel Version %1, neu umhüllt %2</translation>
    </message>
    <message>
        <source>Key-encryption key version %1, never re-wrapped</source>
        <translation>Schlüsselverschlüsselungsschlüssel Version %1, nie neu umhüllt</translation>
    </message>
    <message>
        <source>Rotate data key%1</source>
        <translation>Datenschlüssel rotieren%1</translation>
    </message>
    <message>
        <source>The data key was not rotated: %1</source>
        <translation>Der Datenschlüssel wurde nicht rotiert: %1</translation>
    </message>
    <message numerus="yes">
        <source>%Ln value(s)</source>
        <translation>
            <numerusform>%Ln Wert</numerusform>
            <numerusform>%Ln Werte</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TenantFilterBar</name>
    <message>
        <source>Search slug or name%1</source>
        <translation>Kürzel oder Name suchen%1</translation>
    </message>
    <message>
        <source>All states</source>
        <translation>Alle Status</translation>
    </message>
    <message>
        <source>All plans</source>
        <translation>Alle Tarife</translation>
    </message>
    <message>
        <source>All regions</source>
        <translation>Alle Regionen</translation>
    </message>
    <message>
        <source>All strategies</source>
        <translation>Alle Strategien</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>Filter zurücksetzen</translation>
    </message>
    <message>
        <source>New tenant%1</source>
        <translation>Neuer Mandant%1</translation>
    </message>
</context>
<context>
    <name>TenantImpersonationBar</name>
    <message>
        <source>Acting as %1 at %2 — ticket %3 — ends in %4</source>
        <translation>Handeln als %1 bei %2 — Ticket %3 — endet in %4</translation>
    </message>
    <message>
        <source>Show %1&apos;s view</source>
        <translation>Ansicht von %1 zeigen</translation>
    </message>
    <message>
        <source>Show tenant details</source>
        <translation>Mandantendetails zeigen</translation>
    </message>
    <message>
        <source>End impersonation%1</source>
        <translation>Stellvertretung beenden%1</translation>
    </message>
</context>
<context>
    <name>TenantImpersonationDialog</name>
    <message>
        <source>Impersonate a user of %1</source>
        <translation>Als Benutzer von %1 handeln</translation>
    </message>
    <message>
        <source>Start impersonation</source>
        <translation>Stellvertretung starten</translation>
    </message>
    <message>
        <source>You will see UpCoach as this user does. The start, everything you view and the end are recorded in the audit log as %1, with the ticket; the reason is kept with the impersonation.</source>
        <translation>Sie sehen UpCoach so, wie dieser Benutzer es sieht. Beginn, alles Angesehene und Ende werden als %1 mit dem Ticket im Audit-Log protokolliert; der Grund wird bei der Stellvertretung gespeichert.</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %Ln user(s)</source>
        <translation>
            <numerusform>%1 von %Ln Benutzer</numerusform>
            <numerusform>%1 von %Ln Benutzern</numerusform>
        </translation>
    </message>
    <message>
        <source>Search name or email%1</source>
        <translation>Name oder E-Mail suchen%1</translation>
    </message>
    <message>
        <source>Loading more users%1</source>
        <translation>Weitere Benutzer werden geladen%1</translation>
    </message>
    <message>
        <source>The users cannot be read: %1</source>
        <translation>Die Benutzer können nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Loading users%1</source>
        <translation>Benutzer werden geladen%1</translation>
    </message>
    <message>
        <source>No users match.</source>
        <translation>Keine passenden Benutzer.</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>%1 / %2 characters</source>
        <translation>%1 / %2 Zeichen</translation>
    </message>
    <message>
        <source>Why you need to act as this user (at least %1 characters)</source>
        <translation>Warum Sie als dieser Benutzer handeln müssen (mindestens %1 Zeichen)</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>Ticket</translation>
    </message>
    <message>
        <source>e.g. SUP-1234</source>
        <translation>z. B. SUP-1234</translation>
    </message>
    <message>
        <source>Ends after</source>
        <translation>Endet nach</translation>
    </message>
    <message>
        <source>The impersonation did not start: %1</source>
        <translation>Die Stellvertretung wurde nicht gestartet: %1</translation>
    </message>
    <message>
        <source>Will act as %1 (%2, %3)</source>
        <translation>Sie handeln als %1 (%2, %3)</translation>
    </message>
</context>
<context>
    <name>TenantImpersonationHistory</name>
    <message numerus="yes">
        <source>Impersonations (%Ln open)</source>
        <translation>
            <numerusform>Stellvertretungen (%Ln offen)</numerusform>
            <numerusform>Stellvertretungen (%Ln offen)</numerusform>
        </translation>
    </message>
    <message>
        <source>Impersonations</source>
        <translation>Stellvertretungen</translation>
    </message>
    <message>
        <source>The impersonations cannot be read: %1</source>
        <translation>Die Stellvertretungen können nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>No one has impersonated a user of this tenant.</source>
        <translation>Niemand hat bisher als Benutzer dieses Mandanten gehandelt.</translation>
    </message>
    <message>
        <source>%1 as %2</source>
        <translation>%1 als %2</translation>
    </message>
    <message>
        <source>Ticket %1 · started %2</source>
        <translation>Ticket %1 · begonnen %2</translation>
    </message>
    <message>
        <source>Ended %1 by %2</source>
        <translation>Beendet %1 durch %2</translation>
    </message>
    <message>
        <source>Expired %1</source>
        <translation>Abgelaufen %1</translation>
    </message>
    <message>
        <source>Ends %1</source>
        <translation>Endet %1</translation>
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
        <translation>Begonnen %1 durch %2 für Ticket %3; endet %4.</translation>
    </message>
    <message>
        <source>Read as this user; every view is recorded in the audit log.</source>
        <translation>Als dieser Benutzer gelesen; jede Ansicht wird im Audit-Log protokolliert.</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>Neu laden</translation>
    </message>
    <message>
        <source>What the user sees cannot be read: %1</source>
        <translation>Was der Benutzer sieht, kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Goals (%1)</source>
        <translation>Ziele (%1)</translation>
    </message>
    <message>
        <source>No goals.</source>
        <translation>Keine Ziele.</translation>
    </message>
    <message>
        <source>%1 · target %2</source>
        <translation>%1 · Ziel %2</translation>
    </message>
    <message>
        <source>%1%</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>Habits (%1)</source>
        <translation>Gewohnheiten (%1)</translation>
    </message>
    <message>
        <source>No habits.</source>
        <translation>Keine Gewohnheiten.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln check-in(s)</source>
        <translation>
            <numerusform>%Ln Eintrag</numerusform>
            <numerusform>%Ln Einträge</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Check-ins of the last %Ln day(s).</source>
        <translation>
            <numerusform>Einträge des letzten Tages.</numerusform>
            <numerusform>Einträge der letzten %Ln Tage.</numerusform>
        </translation>
    </message>
    <message>
        <source>Coaching sessions (%1)</source>
        <translation>Coaching-Sitzungen (%1)</translation>
    </message>
    <message>
        <source>No coaching sessions.</source>
        <translation>Keine Coaching-Sitzungen.</translation>
    </message>
    <message>
        <source>Coaching %1 · %2 min</source>
        <translation>Coaching für %1 · %2 Min.</translation>
    </message>
    <message>
        <source>With coach %1 · %2 min</source>
        <translation>Mit Coach %1 · %2 Min.</translation>
    </message>
</context>
<context>
    <name>TenantSettingsDialog</name>
    <message>
        <source>Default (%1)</source>
        <translation>Standard (%1)</translation>
    </message>
    <message>
        <source>On</source>
        <translation>An</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Aus</translation>
    </message>
    <message>
        <source>Default: %1</source>
        <translation>Standard: %1</translation>
    </message>
    <message>
        <source>Plan: %1</source>
        <translation>Tarif: %1</translation>
    </message>
    <message>
        <source>Plan (%1)</source>
        <translation>Tarif (%1)</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>Settings of %1</source>
        <translation>Einstellungen von %1</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>Nicht gespeichert: %1</translation>
    </message>
    <message>
        <source>Configuration</source>
        <translation>Konfiguration</translation>
    </message>
    <message>
        <source>Limits (empty: the plan&apos;s)</source>
        <translation>Limits (leer: die des Tarifs)</translation>
    </message>
    <message>
        <source>Feature flags</source>
        <translation>Funktionsschalter</translation>
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
        <translation>Mandanten</translation>
    </message>
    <message>
        <source>Updated %1</source>
        <translation>Aktualisiert %1</translation>
    </message>
    <message>
        <source>Waiting for the registry</source>
        <translation>Warte auf das Register</translation>
    </message>
    <message>
        <source>Lifecycle</source>
        <translation>Lebenszyklus</translation>
    </message>
    <message>
        <source>Isolation</source>
        <translation>Isolierung</translation>
    </message>
    <message>
        <source>Home region</source>
        <translation>Heimatregion</translation>
    </message>
</context>
<context>
    <name>TenantTable</name>
    <message>
        <source>The tenants could not be read: %1</source>
        <translation>Die Mandanten konnten nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Waiting for the tenant registry%1</source>
        <translation>Warte auf das Mandantenregister%1</translation>
    </message>
    <message>
        <source>Loading tenants%1</source>
        <translation>Mandanten werden geladen%1</translation>
    </message>
    <message>
        <source>No tenants match the filters.</source>
        <translation>Kein Mandant passt zu den Filtern.</translation>
    </message>
    <message>
        <source>There are no tenants yet. Create the first one with New tenant.</source>
        <translation>Es gibt noch keine Mandanten. Legen Sie den ersten mit „Neuer Mandant“ an.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Slug</source>
        <translation>Kürzel</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>Tarif</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Region</translation>
    </message>
    <message>
        <source>Isolation</source>
        <translation>Isolierung</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Angelegt</translation>
    </message>
    <message>
        <source>Loading more tenants%1</source>
        <translation>Weitere Mandanten werden geladen%1</translation>
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
        <translation>Nutzung gegenüber Limits</translation>
    </message>
    <message>
        <source>Usage is not available: %1</source>
        <translation>Nutzung nicht verfügbar: %1</translation>
    </message>
    <message>
        <source>Seats in use</source>
        <translation>Belegte Plätze</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>Storage used</source>
        <translation>Belegter Speicher</translation>
    </message>
    <message>
        <source>Measured %1 in the tenant&apos;s own placement: its rows as stored.</source>
        <translation>Gemessen %1 in der eigenen Platzierung des Mandanten: seine Zeilen, wie gespeichert.</translation>
    </message>
    <message>
        <source>Measure again</source>
        <translation>Neu messen</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>Tabelle</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>Zeilen</translation>
    </message>
    <message>
        <source>Stored</source>
        <translation>Gespeichert</translation>
    </message>
    <message>
        <source>All tables</source>
        <translation>Alle Tabellen</translation>
    </message>
</context>
<context>
    <name>TenantWizardDialog</name>
    <message>
        <source>Identity</source>
        <translation>Identität</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>Tarif</translation>
    </message>
    <message>
        <source>Placement</source>
        <translation>Platzierung</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Inhaber</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>Prüfen</translation>
    </message>
    <message>
        <source>%1 per seat / month</source>
        <translation>%1 pro Platz / Monat</translation>
    </message>
    <message>
        <source>Up to %1 seats</source>
        <translation>Bis zu %1 Plätze</translation>
    </message>
    <message>
        <source>New tenant</source>
        <translation>Neuer Mandant</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Create tenant</source>
        <translation>Mandant anlegen</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Weiter</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>The customer&apos;s name, e.g. Northwind Health</source>
        <translation>Name des Kunden, z. B. Northwind Health</translation>
    </message>
    <message>
        <source>Slug</source>
        <translation>Kürzel</translation>
    </message>
    <message>
        <source>lower-case-with-dashes</source>
        <translation>kleinbuchstaben-mit-bindestrich</translation>
    </message>
    <message>
        <source>3 to 63 characters: a-z, 0-9 and single dashes. It names the tenant in URLs, the API and the audit log, and cannot change later.</source>
        <translation>3 bis 63 Zeichen: a-z, 0-9 und einzelne Bindestriche. Es benennt den Mandanten in URLs, der API und dem Audit-Log und lässt sich später nicht ändern.</translation>
    </message>
    <message>
        <source>Suggested from the name; edit it if you like. It cannot change later.</source>
        <translation>Aus dem Namen vorgeschlagen; Sie können es ändern. Später ist das nicht mehr möglich.</translation>
    </message>
    <message numerus="yes">
        <source>Start with a %Ln-day trial</source>
        <translation>
            <numerusform>Mit %Ln Tag Testphase beginnen</numerusform>
            <numerusform>Mit %Ln Tagen Testphase beginnen</numerusform>
        </translation>
    </message>
    <message>
        <source>Start with a trial</source>
        <translation>Mit Testphase beginnen</translation>
    </message>
    <message>
        <source>Home region</source>
        <translation>Heimatregion</translation>
    </message>
    <message>
        <source>Allowed regions (data residency)</source>
        <translation>Erlaubte Regionen (Datenresidenz)</translation>
    </message>
    <message>
        <source>Isolation</source>
        <translation>Isolierung</translation>
    </message>
    <message>
        <source>Owner name</source>
        <translation>Name des Inhabers</translation>
    </message>
    <message>
        <source>Who administers the tenant (optional)</source>
        <translation>Wer den Mandanten verwaltet (optional)</translation>
    </message>
    <message>
        <source>Owner email</source>
        <translation>E-Mail des Inhabers</translation>
    </message>
    <message>
        <source>name@example.com</source>
        <translation>name@example.com</translation>
    </message>
    <message>
        <source>The owner receives the invitation to set up the tenant. Contact details are personal data: they are never written to logs or audit events.</source>
        <translation>Der Inhaber erhält die Einladung zur Einrichtung. Kontaktdaten sind personenbezogen: Sie landen nie in Logs oder Audit-Ereignissen.</translation>
    </message>
    <message>
        <source>%1, trial first</source>
        <translation>%1, zuerst Testphase</translation>
    </message>
    <message>
        <source>Allowed regions</source>
        <translation>Erlaubte Regionen</translation>
    </message>
    <message>
        <source>%1 &lt;%2&gt;</source>
        <translation>%1 &lt;%2&gt;</translation>
    </message>
    <message>
        <source>The tenant was not created: %1</source>
        <translation>Der Mandant wurde nicht angelegt: %1</translation>
    </message>
    <message>
        <source>Creating the tenant and provisioning its placement%1</source>
        <translation>Mandant wird angelegt und bereitgestellt%1</translation>
    </message>
    <message>
        <source>Creating the tenant provisions its placement in the home region and records it in the audit log as %1.</source>
        <translation>Beim Anlegen wird die Platzierung in der Heimatregion bereitgestellt und im Audit-Log als %1 protokolliert.</translation>
    </message>
</context>
<context>
    <name>TenantWords</name>
    <message>
        <source>Trial</source>
        <translation>Testphase</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>Suspended</source>
        <translation>Gesperrt</translation>
    </message>
    <message>
        <source>Canceled</source>
        <translation>Gekündigt</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>Gelöscht</translation>
    </message>
    <message>
        <source>Shared (RLS)</source>
        <translation>Geteilt (RLS)</translation>
    </message>
    <message>
        <source>Schema</source>
        <translation>Schema</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Datenbank</translation>
    </message>
    <message>
        <source>Shared tables, separated by row-level security. The most economical; fits most tenants.</source>
        <translation>Gemeinsame Tabellen, getrennt durch Row-Level-Security. Am günstigsten; passt für die meisten Mandanten.</translation>
    </message>
    <message>
        <source>A schema and database role of its own in the region&apos;s database.</source>
        <translation>Ein eigenes Schema und eine eigene Datenbankrolle in der Datenbank der Region.</translation>
    </message>
    <message>
        <source>A database of its own: the strongest separation, for regulated customers.</source>
        <translation>Eine eigene Datenbank: die stärkste Trennung, für regulierte Kunden.</translation>
    </message>
    <message>
        <source>Organization</source>
        <translation>Organisation</translation>
    </message>
    <message>
        <source>Sub-organization</source>
        <translation>Unterorganisation</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>Team</translation>
    </message>
    <message>
        <source>Provisioning</source>
        <translation>Bereitstellung</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Bereit</translation>
    </message>
    <message>
        <source>Provisioning failed</source>
        <translation>Bereitstellung fehlgeschlagen</translation>
    </message>
    <message>
        <source>Moving</source>
        <translation>Wird verschoben</translation>
    </message>
    <message>
        <source>Removed</source>
        <translation>Entfernt</translation>
    </message>
    <message>
        <source>Activate</source>
        <translation>Aktivieren</translation>
    </message>
    <message>
        <source>Reactivate</source>
        <translation>Reaktivieren</translation>
    </message>
    <message>
        <source>Suspend</source>
        <translation>Sperren</translation>
    </message>
    <message>
        <source>Cancel subscription</source>
        <translation>Abonnement kündigen</translation>
    </message>
    <message>
        <source>Users can sign in and use UpCoach again. A trial becomes a paying subscription.</source>
        <translation>Benutzer können sich wieder anmelden und UpCoach nutzen. Eine Testphase wird zum bezahlten Abonnement.</translation>
    </message>
    <message>
        <source>The canceled subscription becomes active again; its data is still there.</source>
        <translation>Das gekündigte Abonnement wird wieder aktiv; seine Daten sind noch vorhanden.</translation>
    </message>
    <message>
        <source>Users can no longer sign in or use the API. Data is kept and operators can still reach it.</source>
        <translation>Benutzer können sich nicht mehr anmelden und die API nicht nutzen. Die Daten bleiben erhalten und für Betreiber erreichbar.</translation>
    </message>
    <message>
        <source>The subscription ends and users lose access. Data is kept until the tenant is deleted.</source>
        <translation>Das Abonnement endet und Benutzer verlieren den Zugang. Die Daten bleiben bis zur Löschung des Mandanten erhalten.</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>Zeitzone</translation>
    </message>
    <message>
        <source>Week starts on</source>
        <translation>Woche beginnt am</translation>
    </message>
    <message>
        <source>Session length (minutes)</source>
        <translation>Sitzungsdauer (Minuten)</translation>
    </message>
    <message>
        <source>Data retention (days)</source>
        <translation>Aufbewahrung (Tage)</translation>
    </message>
    <message>
        <source>Require MFA</source>
        <translation>MFA erzwingen</translation>
    </message>
    <message>
        <source>Require SSO</source>
        <translation>SSO erzwingen</translation>
    </message>
    <message>
        <source>Allowed email domains</source>
        <translation>Erlaubte E-Mail-Domains</translation>
    </message>
    <message>
        <source>Brand colour</source>
        <translation>Markenfarbe</translation>
    </message>
    <message>
        <source>Seats</source>
        <translation>Plätze</translation>
    </message>
    <message>
        <source>Storage</source>
        <translation>Speicher</translation>
    </message>
    <message>
        <source>API requests per minute</source>
        <translation>API-Anfragen pro Minute</translation>
    </message>
    <message>
        <source>Single sign-on</source>
        <translation>Single Sign-on</translation>
    </message>
    <message>
        <source>SCIM provisioning</source>
        <translation>SCIM-Provisionierung</translation>
    </message>
    <message>
        <source>Custom domain</source>
        <translation>Eigene Domain</translation>
    </message>
    <message>
        <source>Advanced analytics</source>
        <translation>Erweiterte Analysen</translation>
    </message>
    <message>
        <source>AI coach assist</source>
        <translation>KI-Coach-Assistent</translation>
    </message>
    <message>
        <source>HIPAA safeguards</source>
        <translation>HIPAA-Schutzmaßnahmen</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Programs</source>
        <translation>Programme</translation>
    </message>
    <message>
        <source>Goals</source>
        <translation>Ziele</translation>
    </message>
    <message>
        <source>Coaching sessions</source>
        <translation>Coaching-Sitzungen</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Nachrichten</translation>
    </message>
    <message>
        <source>On</source>
        <translation>An</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Aus</translation>
    </message>
    <message>
        <source>Rotate data key</source>
        <translation>Datenschlüssel rotieren</translation>
    </message>
    <message>
        <source>End impersonation</source>
        <translation>Stellvertretung beenden</translation>
    </message>
    <message>
        <source>A new data key version becomes current and every encrypted value is re-encrypted under it. Older versions keep decrypting until the tenant is deleted.</source>
        <translation>Eine neue Version des Datenschlüssels wird aktuell, und jeder verschlüsselte Wert wird damit neu verschlüsselt. Ältere Versionen entschlüsseln weiter, bis der Mandant gelöscht wird.</translation>
    </message>
    <message>
        <source>You stop acting as this user now. The impersonation cannot be resumed; start a new one with a reason if you need it again.</source>
        <translation>Sie handeln ab sofort nicht mehr als dieser Benutzer. Die Stellvertretung kann nicht fortgesetzt werden; starten Sie bei Bedarf eine neue mit Begründung.</translation>
    </message>
    <message>
        <source>Habits</source>
        <translation>Gewohnheiten</translation>
    </message>
    <message>
        <source>Habit check-ins</source>
        <translation>Gewohnheits-Einträge</translation>
    </message>
    <message>
        <source>Session notes</source>
        <translation>Sitzungsnotizen</translation>
    </message>
    <message>
        <source>Coach</source>
        <translation>Coach</translation>
    </message>
    <message>
        <source>Coachee</source>
        <translation>Coachee</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Offen</translation>
    </message>
    <message>
        <source>Achieved</source>
        <translation>Erreicht</translation>
    </message>
    <message>
        <source>Abandoned</source>
        <translation>Aufgegeben</translation>
    </message>
    <message>
        <source>Daily</source>
        <translation>Täglich</translation>
    </message>
    <message>
        <source>Weekly</source>
        <translation>Wöchentlich</translation>
    </message>
    <message>
        <source>Scheduled</source>
        <translation>Geplant</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Abgeschlossen</translation>
    </message>
    <message>
        <source>No-show</source>
        <translation>Nicht erschienen</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>Beendet</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>Abgelaufen</translation>
    </message>
    <message numerus="yes">
        <source>%Ln h</source>
        <translation>
            <numerusform>%Ln Std.</numerusform>
            <numerusform>%Ln Std.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln min</source>
        <translation>
            <numerusform>%Ln Min.</numerusform>
            <numerusform>%Ln Min.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TenantsPage</name>
    <message>
        <source>Loading tenants%1</source>
        <translation>Mandanten werden geladen%1</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %Ln tenant(s) match</source>
        <translation>
            <numerusform>%1 von %Ln Mandant passen</numerusform>
            <numerusform>%1 von %Ln Mandanten passen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln tenant(s)</source>
        <translation>
            <numerusform>%Ln Mandant</numerusform>
            <numerusform>%Ln Mandanten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Activated %Ln tenant(s).</source>
        <translation>
            <numerusform>%Ln Mandant aktiviert.</numerusform>
            <numerusform>%Ln Mandanten aktiviert.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Reactivated %Ln tenant(s).</source>
        <translation>
            <numerusform>%Ln Mandant reaktiviert.</numerusform>
            <numerusform>%Ln Mandanten reaktiviert.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Suspended %Ln tenant(s).</source>
        <translation>
            <numerusform>%Ln Mandant gesperrt.</numerusform>
            <numerusform>%Ln Mandanten gesperrt.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Canceled %Ln subscription(s).</source>
        <translation>
            <numerusform>%Ln Abonnement gekündigt.</numerusform>
            <numerusform>%Ln Abonnements gekündigt.</numerusform>
        </translation>
    </message>
    <message>
        <source>Settings saved.</source>
        <translation>Einstellungen gespeichert.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln left alone: their state does not allow it.</source>
        <translation>
            <numerusform>%Ln unverändert: der Status lässt es nicht zu.</numerusform>
            <numerusform>%Ln unverändert: der Status lässt es nicht zu.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln not changed: %1</source>
        <translation>
            <numerusform>%Ln nicht geändert: %1</numerusform>
            <numerusform>%Ln nicht geändert: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Created tenant %1.</source>
        <translation>Mandant %1 angelegt.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln selected</source>
        <translation>
            <numerusform>%Ln ausgewählt</numerusform>
            <numerusform>%Ln ausgewählt</numerusform>
        </translation>
    </message>
    <message>
        <source>Activate%1</source>
        <translation>Aktivieren%1</translation>
    </message>
    <message>
        <source>Suspend%1</source>
        <translation>Sperren%1</translation>
    </message>
    <message>
        <source>Clear selection</source>
        <translation>Auswahl aufheben</translation>
    </message>
    <message>
        <source>Could not refresh: %1</source>
        <translation>Aktualisierung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Data key rotated.</source>
        <translation>Datenschlüssel rotiert.</translation>
    </message>
    <message>
        <source>Impersonation started.</source>
        <translation>Stellvertretung gestartet.</translation>
    </message>
    <message>
        <source>The impersonation expired.</source>
        <translation>Die Stellvertretung ist abgelaufen.</translation>
    </message>
    <message>
        <source>Impersonation ended.</source>
        <translation>Stellvertretung beendet.</translation>
    </message>
</context>
<context>
    <name>TrafficChart</name>
    <message numerus="yes">
        <source>Requests per second and p95 latency, last %Ln minute(s)</source>
        <translation>
            <numerusform>Anfragen pro Sekunde und p95-Latenz, letzte %Ln Minute</numerusform>
            <numerusform>Anfragen pro Sekunde und p95-Latenz, letzte %Ln Minuten</numerusform>
        </translation>
    </message>
    <message>
        <source>Requests/s</source>
        <translation>Anfragen/s</translation>
    </message>
    <message>
        <source>p95 (ms)</source>
        <translation>p95 (ms)</translation>
    </message>
</context>
<context>
    <name>TrafficControlDialog</name>
    <message>
        <source>Next region of its failover chain</source>
        <translation>Nächste Region seiner Failover-Kette</translation>
    </message>
    <message>
        <source>%1 stops taking new clients: the router sends them to the next region of its failover chain. Sessions already there move as their requests arrive.</source>
        <translation>%1 nimmt keine neuen Clients mehr an: Der Router schickt sie zur nächsten Region seiner Failover-Kette. Bestehende Sitzungen wechseln mit ihrer nächsten Anfrage.</translation>
    </message>
    <message>
        <source>%1 takes its clients back: the policy routes to it again as soon as its health checks pass.</source>
        <translation>%1 übernimmt ihre Clients wieder: Die Richtlinie leitet wieder dorthin, sobald ihre Zustandsprüfungen bestehen.</translation>
    </message>
    <message>
        <source>%1 stops serving and its clients go to the region you choose first (where their tenants&apos; data residency allows), then to its failover chain.</source>
        <translation>%1 bedient nicht mehr; ihre Clients gehen zuerst zur gewählten Region (wo die Datenresidenz ihrer Mandanten es erlaubt), dann zu ihrer Failover-Kette.</translation>
    </message>
    <message>
        <source>Working out who would move%1</source>
        <translation>Ermittle, wer umziehen würde%1</translation>
    </message>
    <message>
        <source>No preview: %1</source>
        <translation>Keine Vorschau: %1</translation>
    </message>
    <message>
        <source>No client country and no tenant would move.</source>
        <translation>Kein Client-Land und kein Mandant würde umziehen.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln country(ies)</source>
        <translation>
            <numerusform>%Ln Land</numerusform>
            <numerusform>%Ln Länder</numerusform>
        </translation>
    </message>
    <message>
        <source>, </source>
        <comment>list separator</comment>
        <translation>, </translation>
    </message>
    <message numerus="yes">
        <source>%Ln tenant(s) would move.</source>
        <translation>
            <numerusform>%Ln Mandant würde umziehen.</numerusform>
            <numerusform>%Ln Mandanten würden umziehen.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln would have nowhere to go.</source>
        <translation>
            <numerusform>%Ln hätte kein Ziel mehr.</numerusform>
            <numerusform>%Ln hätten kein Ziel mehr.</numerusform>
        </translation>
    </message>
    <message>
        <source>Return %1 to service?</source>
        <translation>%1 wieder in Betrieb nehmen?</translation>
    </message>
    <message>
        <source>Drain %1?</source>
        <translation>%1 leeren?</translation>
    </message>
    <message>
        <source>Force the failover of %1?</source>
        <translation>Failover von %1 erzwingen?</translation>
    </message>
    <message>
        <source>Send its clients first to</source>
        <translation>Ihre Clients zuerst senden an</translation>
    </message>
    <message>
        <source>Failover target</source>
        <translation>Failover-Ziel</translation>
    </message>
    <message>
        <source>These countries and tenants will move</source>
        <translation>Diese Länder und Mandanten ziehen um</translation>
    </message>
    <message>
        <source>Countries (%1)</source>
        <translation>Länder (%1)</translation>
    </message>
    <message>
        <source>No country moves.</source>
        <translation>Kein Land zieht um.</translation>
    </message>
    <message>
        <source>Tenants (%1)</source>
        <translation>Mandanten (%1)</translation>
    </message>
    <message>
        <source>No tenant moves.</source>
        <translation>Kein Mandant zieht um.</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>%1 / %2 characters</source>
        <translation>%1 / %2 Zeichen</translation>
    </message>
    <message>
        <source>Why (at least %1 characters); the audit log keeps it</source>
        <translation>Warum (mindestens %1 Zeichen); das Audit-Log bewahrt es auf</translation>
    </message>
</context>
<context>
    <name>TrafficHealthCard</name>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>Uptime %1, p95 %2, errors %3, %4 requests per second</source>
        <translation>Verfügbarkeit %1, p95 %2, Fehler %3, %4 Anfragen pro Sekunde</translation>
    </message>
    <message>
        <source>Uptime</source>
        <translation>Verfügbarkeit</translation>
    </message>
    <message>
        <source>p95</source>
        <translation>p95</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Requests/s</source>
        <translation>Anfragen/s</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Datenbank</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Prüfung</translation>
    </message>
</context>
<context>
    <name>TrafficMapPanel</name>
    <message>
        <source>Routed to %1</source>
        <translation>Geroutet nach %1</translation>
    </message>
    <message>
        <source>Not routed: refused or no region left</source>
        <translation>Nicht geroutet: abgewiesen oder keine Region übrig</translation>
    </message>
    <message>
        <source>%1 requests in the last minute</source>
        <translation>%1 Anfragen in der letzten Minute</translation>
    </message>
    <message>
        <source>No requests in the last minute</source>
        <translation>Keine Anfragen in der letzten Minute</translation>
    </message>
    <message>
        <source>World map of regions and traffic</source>
        <translation>Weltkarte der Regionen und des Verkehrs</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>Vergrößern</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>Verkleinern</translation>
    </message>
    <message>
        <source>Show the whole world</source>
        <translation>Ganze Welt zeigen</translation>
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
        <translation>%1 · %2 Anfr./s</translation>
    </message>
</context>
<context>
    <name>TrafficMoveList</name>
    <message>
        <source>Nowhere</source>
        <translation>Nirgendwo</translation>
    </message>
</context>
<context>
    <name>TrafficOverview</name>
    <message>
        <source>Requests from a country to its region (last minute)</source>
        <translation>Anfragen eines Landes an seine Region (letzte Minute)</translation>
    </message>
</context>
<context>
    <name>TrafficPolicyRule</name>
    <message>
        <source>Rule %1, %2: %3</source>
        <translation>Regel %1, %2: %3</translation>
    </message>
    <message>
        <source>Weights overridden</source>
        <translation>Gewichte überschrieben</translation>
    </message>
</context>
<context>
    <name>TrafficPolicyView</name>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>Version %1</source>
        <translation>Version %1</translation>
    </message>
    <message numerus="yes">
        <source>%Ln rule(s), evaluated in order</source>
        <translation>
            <numerusform>%Ln Regel, der Reihe nach ausgewertet</numerusform>
            <numerusform>%Ln Regeln, der Reihe nach ausgewertet</numerusform>
        </translation>
    </message>
    <message>
        <source>Request hedging</source>
        <translation>Request-Hedging</translation>
    </message>
    <message>
        <source>A slow first answer is raced by a copy to the next region, sent after the first region&apos;s p%1 latency (between %2 and %3), for at most %4 of requests.</source>
        <translation>Gegen eine langsame erste Antwort tritt eine Kopie an die nächste Region an, gesendet nach der p%1-Latenz der ersten Region (zwischen %2 und %3), für höchstens %4 der Anfragen.</translation>
    </message>
    <message>
        <source>Off: every request goes to one region only.</source>
        <translation>Aus: Jede Anfrage geht nur an eine Region.</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Gesendet</translation>
    </message>
    <message>
        <source>Won</source>
        <translation>Gewonnen</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Saved per win</source>
        <translation>Ersparnis je Gewinn</translation>
    </message>
    <message>
        <source>Decisions</source>
        <translation>Entscheidungen</translation>
    </message>
    <message>
        <source>Hedged</source>
        <translation>Abgesichert</translation>
    </message>
    <message>
        <source>Time saved</source>
        <translation>Gesparte Zeit</translation>
    </message>
    <message>
        <source>Sent, won and time saved: the last minute. Decisions and the hedged share: since the router started.</source>
        <translation>Gesendet, gewonnen und gesparte Zeit: die letzte Minute. Entscheidungen und abgesicherter Anteil: seit dem Start des Routers.</translation>
    </message>
    <message>
        <source>Policy file</source>
        <translation>Richtliniendatei</translation>
    </message>
</context>
<context>
    <name>TrafficRegionPanel</name>
    <message>
        <source>Drained by %1 at %2:</source>
        <translation>Geleert von %1 um %2:</translation>
    </message>
    <message>
        <source>Failed over to %1 by %2 at %3:</source>
        <translation>Failover nach %1 durch %2 um %3:</translation>
    </message>
    <message>
        <source>Failed over by %1 at %2:</source>
        <translation>Failover durch %1 um %2:</translation>
    </message>
    <message>
        <source>%1 Last check: %2</source>
        <translation>%1 Letzte Prüfung: %2</translation>
    </message>
    <message>
        <source>No region selected</source>
        <translation>Keine Region ausgewählt</translation>
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
        <translation>Anteil</translation>
    </message>
    <message>
        <source>Hedges won</source>
        <translation>Hedges gewonnen</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message numerus="yes">
        <source>Last %Ln minute(s)</source>
        <translation>
            <numerusform>Letzte %Ln Minute</numerusform>
            <numerusform>Letzte %Ln Minuten</numerusform>
        </translation>
    </message>
    <message>
        <source>Requests/s</source>
        <translation>Anfragen/s</translation>
    </message>
    <message>
        <source>p95 (ms)</source>
        <translation>p95 (ms)</translation>
    </message>
    <message>
        <source>Drain%1</source>
        <translation>Leeren%1</translation>
    </message>
    <message>
        <source>Drain %1</source>
        <translation>%1 leeren</translation>
    </message>
    <message>
        <source>Undrain%1</source>
        <translation>Wieder aufnehmen%1</translation>
    </message>
    <message>
        <source>Return %1 to service</source>
        <translation>%1 wieder in Betrieb nehmen</translation>
    </message>
    <message>
        <source>Fail over to%1</source>
        <translation>Failover nach%1</translation>
    </message>
    <message>
        <source>Force the failover of %1</source>
        <translation>Failover von %1 erzwingen</translation>
    </message>
</context>
<context>
    <name>TrafficTotalCard</name>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>All regions</source>
        <translation>Alle Regionen</translation>
    </message>
    <message numerus="yes">
        <source>Last %Ln second(s)</source>
        <translation>
            <numerusform>Letzte %Ln Sekunde</numerusform>
            <numerusform>Letzte %Ln Sekunden</numerusform>
        </translation>
    </message>
    <message>
        <source>Serving</source>
        <translation>In Betrieb</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>p95</source>
        <translation>p95</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Requests/s</source>
        <translation>Anfragen/s</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Anfragen</translation>
    </message>
    <message>
        <source>Hedged</source>
        <translation>Abgesichert</translation>
    </message>
</context>
<context>
    <name>TrafficWhatIfView</name>
    <message>
        <source>Pick a region to see who would move if it were drained.</source>
        <translation>Wähle eine Region, um zu sehen, wer beim Leeren umziehen würde.</translation>
    </message>
    <message>
        <source>Working out who would move%1</source>
        <translation>Ermittle, wer umziehen würde%1</translation>
    </message>
    <message>
        <source>No answer: %1</source>
        <translation>Keine Antwort: %1</translation>
    </message>
    <message>
        <source>Draining %1 would move no client country and no tenant.</source>
        <translation>Das Leeren von %1 würde kein Client-Land und keinen Mandanten verschieben.</translation>
    </message>
    <message>
        <source>Draining %1 would move %2 and %3.</source>
        <translation>Das Leeren von %1 würde %2 und %3 verschieben.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln country(ies)</source>
        <translation>
            <numerusform>%Ln Land</numerusform>
            <numerusform>%Ln Länder</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln tenant(s)</source>
        <translation>
            <numerusform>%Ln Mandant</numerusform>
            <numerusform>%Ln Mandanten</numerusform>
        </translation>
    </message>
    <message>
        <source>If this region were drained</source>
        <translation>Wenn diese Region geleert würde</translation>
    </message>
    <message>
        <source>Nowhere</source>
        <translation>Nirgendwo</translation>
    </message>
    <message>
        <source>Where they would go</source>
        <translation>Wohin sie gingen</translation>
    </message>
    <message>
        <source>Countries that would move</source>
        <translation>Länder, die umziehen würden</translation>
    </message>
    <message>
        <source>Countries (%1)</source>
        <translation>Länder (%1)</translation>
    </message>
    <message>
        <source>No country moves.</source>
        <translation>Kein Land zieht um.</translation>
    </message>
    <message>
        <source>Tenants (%1)</source>
        <translation>Mandanten (%1)</translation>
    </message>
    <message>
        <source>No tenant moves.</source>
        <translation>Kein Mandant zieht um.</translation>
    </message>
</context>
<context>
    <name>TrafficWords</name>
    <message>
        <source>%1%</source>
        <comment>percent</comment>
        <translation>%1 %</translation>
    </message>
    <message numerus="yes">
        <source>%Ln country(ies)</source>
        <translation>
            <numerusform>%Ln Land</numerusform>
            <numerusform>%Ln Länder</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln tenant(s)</source>
        <translation>
            <numerusform>%Ln Mandant</numerusform>
            <numerusform>%Ln Mandanten</numerusform>
        </translation>
    </message>
    <message>
        <source>, </source>
        <comment>list separator</comment>
        <translation>, </translation>
    </message>
    <message>
        <source>Healthy</source>
        <translation>Fehlerfrei</translation>
    </message>
    <message>
        <source>Unhealthy</source>
        <translation>Gestört</translation>
    </message>
    <message>
        <source>Drained</source>
        <translation>Geleert</translation>
    </message>
    <message>
        <source>Failed over</source>
        <translation>Umgeleitet</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>Unbekannt</translation>
    </message>
    <message>
        <source>Serving: its health checks pass.</source>
        <translation>In Betrieb: Ihre Zustandsprüfungen bestehen.</translation>
    </message>
    <message>
        <source>Not serving: its health checks fail. Its clients go to its failover chain.</source>
        <translation>Nicht in Betrieb: Ihre Zustandsprüfungen schlagen fehl. Ihre Clients gehen an ihre Failover-Kette.</translation>
    </message>
    <message>
        <source>Not serving: an operator drained it. Its clients go to its failover chain.</source>
        <translation>Nicht in Betrieb: Ein Operator hat sie geleert. Ihre Clients gehen an ihre Failover-Kette.</translation>
    </message>
    <message>
        <source>Not serving: an operator forced its traffic to another region.</source>
        <translation>Nicht in Betrieb: Ein Operator hat ihren Verkehr in eine andere Region gezwungen.</translation>
    </message>
    <message>
        <source>Serving, but no health check has reached a verdict yet.</source>
        <translation>In Betrieb, aber noch ohne Urteil der Zustandsprüfungen.</translation>
    </message>
    <message>
        <source>IP allow list</source>
        <translation>IP-Zulassungsliste</translation>
    </message>
    <message>
        <source>IP deny list</source>
        <translation>IP-Sperrliste</translation>
    </message>
    <message>
        <source>Geo-fence</source>
        <translation>Geo-Fence</translation>
    </message>
    <message>
        <source>Sticky sessions</source>
        <translation>Sitzungsbindung</translation>
    </message>
    <message>
        <source>Weighted split</source>
        <translation>Gewichtete Aufteilung</translation>
    </message>
    <message>
        <source>Lowest latency</source>
        <translation>Niedrigste Latenz</translation>
    </message>
    <message>
        <source>Nearest region</source>
        <translation>Nächste Region</translation>
    </message>
    <message>
        <source>Failover chains</source>
        <translation>Failover-Ketten</translation>
    </message>
    <message numerus="yes">
        <source>%1 and %Ln more</source>
        <translation>
            <numerusform>%1 und %Ln weiteres</numerusform>
            <numerusform>%1 und %Ln weitere</numerusform>
        </translation>
    </message>
    <message>
        <source>Every request</source>
        <translation>Jede Anfrage</translation>
    </message>
    <message>
        <source>clients in %1</source>
        <translation>Clients in %1</translation>
    </message>
    <message>
        <source>paths starting with %1</source>
        <translation>Pfade, die mit %1 beginnen</translation>
    </message>
    <message>
        <source>tenants %1</source>
        <translation>Mandanten %1</translation>
    </message>
    <message>
        <source>; </source>
        <comment>condition separator</comment>
        <translation>; </translation>
    </message>
    <message numerus="yes">
        <source>%Ln h</source>
        <translation>
            <numerusform>%Ln Std.</numerusform>
            <numerusform>%Ln Std.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln min</source>
        <translation>
            <numerusform>%Ln Min.</numerusform>
            <numerusform>%Ln Min.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln s</source>
        <translation>
            <numerusform>%Ln s</numerusform>
            <numerusform>%Ln s</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Refuses clients outside %Ln network(s): %1</source>
        <translation>
            <numerusform>Weist Clients außerhalb von %Ln Netz ab: %1</numerusform>
            <numerusform>Weist Clients außerhalb von %Ln Netzen ab: %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Refuses clients inside %Ln network(s): %1</source>
        <translation>
            <numerusform>Weist Clients aus %Ln Netz ab: %1</numerusform>
            <numerusform>Weist Clients aus %Ln Netzen ab: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Refuses clients from %1.</source>
        <translation>Weist Clients aus %1 ab.</translation>
    </message>
    <message>
        <source>Refuses clients outside %1.</source>
        <translation>Weist Clients außerhalb von %1 ab.</translation>
    </message>
    <message>
        <source>Serves them only from %1.</source>
        <translation>Bedient sie nur aus %1.</translation>
    </message>
    <message>
        <source>Restricts nothing.</source>
        <translation>Schränkt nichts ein.</translation>
    </message>
    <message>
        <source>Keeps a client on its region for %1 (cookie %2).</source>
        <translation>Hält einen Client %1 lang auf seiner Region (Cookie %2).</translation>
    </message>
    <message>
        <source>Keeps a client on its region for %1 (header %2).</source>
        <translation>Hält einen Client %1 lang auf seiner Region (Header %2).</translation>
    </message>
    <message>
        <source>%1 %2%</source>
        <translation>%1 %2 %</translation>
    </message>
    <message>
        <source>Splits clients: %1.</source>
        <translation>Teilt Clients auf: %1.</translation>
    </message>
    <message>
        <source>Each session keeps its bucket.</source>
        <translation>Jede Sitzung behält ihren Anteil.</translation>
    </message>
    <message>
        <source>Each client network keeps its bucket.</source>
        <translation>Jedes Client-Netz behält seinen Anteil.</translation>
    </message>
    <message numerus="yes">
        <source>Sends a client to the region with the lowest measured round trip from its network (or country), once there are %Ln sample(s).</source>
        <translation>
            <numerusform>Schickt einen Client zur Region mit der niedrigsten gemessenen Umlaufzeit von seinem Netz (oder Land) aus, sobald %Ln Messung vorliegt.</numerusform>
            <numerusform>Schickt einen Client zur Region mit der niedrigsten gemessenen Umlaufzeit von seinem Netz (oder Land) aus, sobald %Ln Messungen vorliegen.</numerusform>
        </translation>
    </message>
    <message>
        <source>Sends a client to the nearest region by great-circle distance from its country.</source>
        <translation>Schickt einen Client zur nächstgelegenen Region nach Großkreisentfernung von seinem Land.</translation>
    </message>
    <message>
        <source>Bias: %1.</source>
        <translation>Gewichtung: %1.</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message numerus="yes">
        <source>Hands an unavailable region&apos;s clients to the next available region of its chain (%Ln chain(s)).</source>
        <translation>
            <numerusform>Übergibt die Clients einer nicht verfügbaren Region an die nächste verfügbare Region ihrer Kette (%Ln Kette).</numerusform>
            <numerusform>Übergibt die Clients einer nicht verfügbaren Region an die nächste verfügbare Region ihrer Kette (%Ln Ketten).</numerusform>
        </translation>
    </message>
    <message>
        <source>Drain</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <source>Undrain</source>
        <translation>Wieder aufnehmen</translation>
    </message>
    <message>
        <source>Fail over</source>
        <translation>Failover</translation>
    </message>
    <message>
        <source>Save weights</source>
        <translation>Gewichte speichern</translation>
    </message>
    <message>
        <source>%1 drained.</source>
        <translation>%1 geleert.</translation>
    </message>
    <message>
        <source>%1 is back in service.</source>
        <translation>%1 ist wieder in Betrieb.</translation>
    </message>
    <message>
        <source>%1 failed over.</source>
        <translation>%1 umgeleitet.</translation>
    </message>
    <message>
        <source>Weights of %1 changed.</source>
        <translation>Gewichte von %1 geändert.</translation>
    </message>
    <message>
        <source>Could not drain the region:</source>
        <translation>Die Region konnte nicht geleert werden:</translation>
    </message>
    <message>
        <source>Could not return the region to service:</source>
        <translation>Die Region konnte nicht wieder in Betrieb genommen werden:</translation>
    </message>
    <message>
        <source>Could not fail the region over:</source>
        <translation>Das Failover der Region ist fehlgeschlagen:</translation>
    </message>
    <message>
        <source>Could not change the weights:</source>
        <translation>Die Gewichte konnten nicht geändert werden:</translation>
    </message>
    <message numerus="yes">
        <source>Say why in at least %Ln character(s).</source>
        <translation>
            <numerusform>Begründe in mindestens %Ln Zeichen.</numerusform>
            <numerusform>Begründe in mindestens %Ln Zeichen.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>At most %Ln character(s).</source>
        <translation>
            <numerusform>Höchstens %Ln Zeichen.</numerusform>
            <numerusform>Höchstens %Ln Zeichen.</numerusform>
        </translation>
    </message>
    <message>
        <source>Control characters are not allowed.</source>
        <translation>Steuerzeichen sind nicht erlaubt.</translation>
    </message>
</context>
<context>
    <name>UcDialog</name>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
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

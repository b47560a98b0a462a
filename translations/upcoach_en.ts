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
    <name>RegionDatabaseView</name>
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
<context>
    <name>TenantConfirmDialog</name>
    <message numerus="yes">
        <source>Activate %Ln tenant(s)?</source>
        <translation>
            <numerusform>Activate %Ln tenant?</numerusform>
            <numerusform>Activate %Ln tenants?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Reactivate %Ln tenant(s)?</source>
        <translation>
            <numerusform>Reactivate %Ln tenant?</numerusform>
            <numerusform>Reactivate %Ln tenants?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Suspend %Ln tenant(s)?</source>
        <translation>
            <numerusform>Suspend %Ln tenant?</numerusform>
            <numerusform>Suspend %Ln tenants?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cancel %Ln subscription(s)?</source>
        <translation>
            <numerusform>Cancel %Ln subscription?</numerusform>
            <numerusform>Cancel %Ln subscriptions?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln selected tenant(s) will be left alone: their state does not allow this.</source>
        <translation>
            <numerusform>%Ln selected tenant will be left alone: its state does not allow this.</numerusform>
            <numerusform>%Ln selected tenants will be left alone: their state does not allow this.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TenantEncryptionSection</name>
    <message numerus="yes">
        <source>%Ln value(s)</source>
        <translation>
            <numerusform>%Ln value</numerusform>
            <numerusform>%Ln values</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TenantImpersonationDialog</name>
    <message numerus="yes">
        <source>%1 of %Ln user(s)</source>
        <translation>
            <numerusform>%1 of %Ln user</numerusform>
            <numerusform>%1 of %Ln users</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TenantImpersonationHistory</name>
    <message numerus="yes">
        <source>Impersonations (%Ln open)</source>
        <translation>
            <numerusform>Impersonations (%Ln open)</numerusform>
            <numerusform>Impersonations (%Ln open)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TenantImpersonationPanel</name>
    <message numerus="yes">
        <source>%Ln check-in(s)</source>
        <translation>
            <numerusform>%Ln check-in</numerusform>
            <numerusform>%Ln check-ins</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Check-ins of the last %Ln day(s).</source>
        <translation>
            <numerusform>Check-ins of the last day.</numerusform>
            <numerusform>Check-ins of the last %Ln days.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TenantWizardDialog</name>
    <message numerus="yes">
        <source>Start with a %Ln-day trial</source>
        <translation>
            <numerusform>Start with a %Ln-day trial</numerusform>
            <numerusform>Start with a %Ln-day trial</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TenantWords</name>
    <message numerus="yes">
        <source>%Ln h</source>
        <translation>
            <numerusform>%Ln h</numerusform>
            <numerusform>%Ln h</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln min</source>
        <translation>
            <numerusform>%Ln min</numerusform>
            <numerusform>%Ln min</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TenantsPage</name>
    <message numerus="yes">
        <source>%1 of %Ln tenant(s) match</source>
        <translation>
            <numerusform>%1 of %Ln tenant match</numerusform>
            <numerusform>%1 of %Ln tenants match</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln tenant(s)</source>
        <translation>
            <numerusform>%Ln tenant</numerusform>
            <numerusform>%Ln tenants</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Activated %Ln tenant(s).</source>
        <translation>
            <numerusform>Activated %Ln tenant.</numerusform>
            <numerusform>Activated %Ln tenants.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Reactivated %Ln tenant(s).</source>
        <translation>
            <numerusform>Reactivated %Ln tenant.</numerusform>
            <numerusform>Reactivated %Ln tenants.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Suspended %Ln tenant(s).</source>
        <translation>
            <numerusform>Suspended %Ln tenant.</numerusform>
            <numerusform>Suspended %Ln tenants.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Canceled %Ln subscription(s).</source>
        <translation>
            <numerusform>Canceled %Ln subscription.</numerusform>
            <numerusform>Canceled %Ln subscriptions.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln left alone: their state does not allow it.</source>
        <translation>
            <numerusform>%Ln left alone: its state does not allow it.</numerusform>
            <numerusform>%Ln left alone: their state does not allow it.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln not changed: %1</source>
        <translation>
            <numerusform>%Ln not changed: %1</numerusform>
            <numerusform>%Ln not changed: %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln selected</source>
        <translation>
            <numerusform>%Ln selected</numerusform>
            <numerusform>%Ln selected</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TrafficChart</name>
    <message numerus="yes">
        <source>Requests per second and p95 latency, last %Ln minute(s)</source>
        <translation>
            <numerusform>Requests per second and p95 latency, last %Ln minute</numerusform>
            <numerusform>Requests per second and p95 latency, last %Ln minutes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TrafficControlDialog</name>
    <message numerus="yes">
        <source>%Ln country(ies)</source>
        <translation>
            <numerusform>%Ln country</numerusform>
            <numerusform>%Ln countries</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln tenant(s) would move.</source>
        <translation>
            <numerusform>%Ln tenant would move.</numerusform>
            <numerusform>%Ln tenants would move.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln would have nowhere to go.</source>
        <translation>
            <numerusform>%Ln would have nowhere to go.</numerusform>
            <numerusform>%Ln would have nowhere to go.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TrafficPolicyView</name>
    <message numerus="yes">
        <source>%Ln rule(s), evaluated in order</source>
        <translation>
            <numerusform>%Ln rule, evaluated in order</numerusform>
            <numerusform>%Ln rules, evaluated in order</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TrafficRegionPanel</name>
    <message numerus="yes">
        <source>Last %Ln minute(s)</source>
        <translation>
            <numerusform>Last %Ln minute</numerusform>
            <numerusform>Last %Ln minutes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TrafficTotalCard</name>
    <message numerus="yes">
        <source>Last %Ln second(s)</source>
        <translation>
            <numerusform>Last %Ln second</numerusform>
            <numerusform>Last %Ln seconds</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TrafficWhatIfView</name>
    <message numerus="yes">
        <source>%Ln country(ies)</source>
        <translation>
            <numerusform>%Ln country</numerusform>
            <numerusform>%Ln countries</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln tenant(s)</source>
        <translation>
            <numerusform>%Ln tenant</numerusform>
            <numerusform>%Ln tenants</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TrafficWords</name>
    <message numerus="yes">
        <source>%Ln country(ies)</source>
        <translation>
            <numerusform>%Ln country</numerusform>
            <numerusform>%Ln countries</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln tenant(s)</source>
        <translation>
            <numerusform>%Ln tenant</numerusform>
            <numerusform>%Ln tenants</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 and %Ln more</source>
        <translation>
            <numerusform>%1 and %Ln more</numerusform>
            <numerusform>%1 and %Ln more</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln h</source>
        <translation>
            <numerusform>%Ln h</numerusform>
            <numerusform>%Ln h</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln min</source>
        <translation>
            <numerusform>%Ln min</numerusform>
            <numerusform>%Ln min</numerusform>
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
            <numerusform>Refuses clients outside %Ln network: %1</numerusform>
            <numerusform>Refuses clients outside %Ln networks: %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Refuses clients inside %Ln network(s): %1</source>
        <translation>
            <numerusform>Refuses clients inside %Ln network: %1</numerusform>
            <numerusform>Refuses clients inside %Ln networks: %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Sends a client to the region with the lowest measured round trip from its network (or country), once there are %Ln sample(s).</source>
        <translation>
            <numerusform>Sends a client to the region with the lowest measured round trip from its network (or country), once there is %Ln sample.</numerusform>
            <numerusform>Sends a client to the region with the lowest measured round trip from its network (or country), once there are %Ln samples.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Hands an unavailable region&apos;s clients to the next available region of its chain (%Ln chain(s)).</source>
        <translation>
            <numerusform>Hands an unavailable region&apos;s clients to the next available region of its chain (%Ln chain).</numerusform>
            <numerusform>Hands an unavailable region&apos;s clients to the next available region of its chain (%Ln chains).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Say why in at least %Ln character(s).</source>
        <translation>
            <numerusform>Say why in at least %Ln character.</numerusform>
            <numerusform>Say why in at least %Ln characters.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>At most %Ln character(s).</source>
        <translation>
            <numerusform>At most %Ln character.</numerusform>
            <numerusform>At most %Ln characters.</numerusform>
        </translation>
    </message>
</context>
</TS>

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
</TS>

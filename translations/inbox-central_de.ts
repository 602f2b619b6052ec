<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Composer</name>
    <message>
        <source>Calls cannot be answered with a message</source>
        <translation>Auf Anrufe kann nicht mit einer Nachricht geantwortet werden</translation>
    </message>
    <message>
        <source>Write a message…</source>
        <translation>Nachricht schreiben…</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <source>Send later</source>
        <translation>Später senden</translation>
    </message>
</context>
<context>
    <name>ContactPanel</name>
    <message>
        <source>Contact</source>
        <translation>Kontakt</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Bearbeiten</translation>
    </message>
    <message>
        <source>Opted out of messages since %1</source>
        <translation>Hat Nachrichten seit %1 abbestellt</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Wird gespeichert…</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
</context>
<context>
    <name>ConversationList</name>
    <message>
        <source>All</source>
        <translation>Alle</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Offen</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Wartend</translation>
    </message>
    <message>
        <source>Snoozed</source>
        <translation>Zurückgestellt</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>Erledigt</translation>
    </message>
    <message>
        <source>Anyone</source>
        <translation>Alle Bearbeiter</translation>
    </message>
    <message>
        <source>Mine</source>
        <translation>Meine</translation>
    </message>
    <message>
        <source>Unassigned</source>
        <translation>Nicht zugewiesen</translation>
    </message>
    <message>
        <source>Unread</source>
        <translation>Ungelesen</translation>
    </message>
    <message>
        <source>Unknown contact</source>
        <translation>Unbekannter Kontakt</translation>
    </message>
    <message>
        <source>No conversations</source>
        <translation>Keine Unterhaltungen</translation>
    </message>
</context>
<context>
    <name>ConversationView</name>
    <message>
        <source>Choose a conversation</source>
        <translation>Wählen Sie eine Unterhaltung</translation>
    </message>
    <message>
        <source>Unknown contact</source>
        <translation>Unbekannter Kontakt</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>Wieder öffnen</translation>
    </message>
    <message>
        <source>Resolve</source>
        <translation>Erledigen</translation>
    </message>
    <message>
        <source>Snooze</source>
        <translation>Zurückstellen</translation>
    </message>
    <message>
        <source>Mark unread</source>
        <translation>Als ungelesen markieren</translation>
    </message>
    <message>
        <source>No messages yet</source>
        <translation>Noch keine Nachrichten</translation>
    </message>
</context>
<context>
    <name>DatabasePage</name>
    <message>
        <source>A SQLite file (sqlite:///path/to/inbox.db) or a PostgreSQL URL (postgresql://user:password@host/db). Empty: a SQLite file in the data folder.</source>
        <translation>Eine SQLite-Datei (sqlite:///pfad/zu/inbox.db) oder eine PostgreSQL-URL (postgresql://benutzer:passwort@host/db). Leer: eine SQLite-Datei im Datenordner.</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>Verbindung testen</translation>
    </message>
</context>
<context>
    <name>DatabaseTester</name>
    <message>
        <source>The folder %1 is not writable.</source>
        <translation>Der Ordner %1 ist nicht beschreibbar.</translation>
    </message>
    <message>
        <source>%1 does not exist yet; the server creates it when it starts.</source>
        <translation>%1 existiert noch nicht; der Server legt die Datei beim Start an.</translation>
    </message>
    <message>
        <source>Connected (SQLite %1).</source>
        <translation>Verbunden (SQLite %1).</translation>
    </message>
    <message>
        <source>Connected (%1).</source>
        <translation>Verbunden (%1).</translation>
    </message>
</context>
<context>
    <name>DesktopApp</name>
    <message>
        <source>Remote server reachable</source>
        <translation>Entfernter Server erreichbar</translation>
    </message>
    <message>
        <source>Remote server: checking…</source>
        <translation>Entfernter Server: wird geprüft…</translation>
    </message>
    <message>
        <source>Remote server unreachable</source>
        <translation>Entfernter Server nicht erreichbar</translation>
    </message>
</context>
<context>
    <name>GooglePage</name>
    <message>
        <source>Google sign-in: the OAuth client of your Google Cloud project.</source>
        <translation>Google-Anmeldung: der OAuth-Client Ihres Google-Cloud-Projekts.</translation>
    </message>
    <message>
        <source>Client ID</source>
        <translation>Client-ID</translation>
    </message>
    <message>
        <source>Client secret</source>
        <translation>Client-Geheimnis</translation>
    </message>
    <message>
        <source>Stored; type to replace</source>
        <translation>Gespeichert; zum Ersetzen neu eingeben</translation>
    </message>
    <message>
        <source>Not set</source>
        <translation>Nicht gesetzt</translation>
    </message>
    <message>
        <source>Callback URL</source>
        <translation>Callback-URL</translation>
    </message>
    <message>
        <source>Default: the public URL + /api/auth/google/callback</source>
        <translation>Standard: die öffentliche URL + /api/auth/google/callback</translation>
    </message>
</context>
<context>
    <name>InboxPage</name>
    <message>
        <source>Inbox</source>
        <translation>Posteingang</translation>
    </message>
    <message numerus="yes">
        <source>%n unread</source>
        <translation>
            <numerusform>%n ungelesen</numerusform>
            <numerusform>%n ungelesen</numerusform>
        </translation>
    </message>
    <message>
        <source>New</source>
        <translation>Neu</translation>
    </message>
    <message>
        <source>Search messages and contacts</source>
        <translation>Nachrichten und Kontakte durchsuchen</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>Live</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Abmelden</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>Inbox Central — %1</source>
        <translation>Inbox Central — %1</translation>
    </message>
    <message>
        <source>Inbox Central</source>
        <translation>Inbox Central</translation>
    </message>
</context>
<context>
    <name>MessageBubble</name>
    <message>
        <source>Voicemail</source>
        <translation>Sprachnachricht</translation>
    </message>
    <message>
        <source>Missed call</source>
        <translation>Verpasster Anruf</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>Anruf</translation>
    </message>
    <message>
        <source>Scheduled for %1</source>
        <translation>Geplant für %1</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>▶ Play recording</source>
        <translation>▶ Aufnahme abspielen</translation>
    </message>
    <message>
        <source>Attachment (%1)</source>
        <translation>Anhang (%1)</translation>
    </message>
</context>
<context>
    <name>MessageListModel</name>
    <message>
        <source>No conversation is open.</source>
        <translation>Keine Unterhaltung ist geöffnet.</translation>
    </message>
</context>
<context>
    <name>NewConversationPopup</name>
    <message>
        <source>New conversation</source>
        <translation>Neue Unterhaltung</translation>
    </message>
    <message>
        <source>Find a contact by name, phone or email</source>
        <translation>Kontakt nach Name, Telefon oder E-Mail suchen</translation>
    </message>
    <message>
        <source>opted out</source>
        <translation>abbestellt</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Hinzufügen</translation>
    </message>
</context>
<context>
    <name>NotesPanel</name>
    <message>
        <source>Notes</source>
        <translation>Notizen</translation>
    </message>
    <message>
        <source>Add a note for your team…</source>
        <translation>Notiz für Ihr Team hinzufügen…</translation>
    </message>
    <message>
        <source>Only me</source>
        <translation>Nur ich</translation>
    </message>
    <message>
        <source>Add note</source>
        <translation>Notiz hinzufügen</translation>
    </message>
    <message>
        <source>Private · </source>
        <translation>Privat · </translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message>
        <source>Message</source>
        <translation>Nachricht</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>Kontakt</translation>
    </message>
    <message>
        <source>Nothing found</source>
        <translation>Nichts gefunden</translation>
    </message>
</context>
<context>
    <name>SecretBackendChooser</name>
    <message>
        <source>INBOX_SECRET_BACKEND=file</source>
        <translation>INBOX_SECRET_BACKEND=file</translation>
    </message>
    <message>
        <source>INBOX_SECRET_BACKEND=keychain</source>
        <translation>INBOX_SECRET_BACKEND=keychain</translation>
    </message>
    <message>
        <source>no D-Bus session bus, so no keychain service</source>
        <translation>kein D-Bus-Sitzungsbus, also kein Schlüsselbund-Dienst</translation>
    </message>
    <message>
        <source>the OS keychain answered</source>
        <translation>der Schlüsselbund des Systems hat geantwortet</translation>
    </message>
    <message>
        <source>the keychain failed: %1</source>
        <translation>der Schlüsselbund ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>the keychain did not answer</source>
        <translation>der Schlüsselbund hat nicht geantwortet</translation>
    </message>
</context>
<context>
    <name>ServerController</name>
    <message>
        <source>Server stopped</source>
        <translation>Server gestoppt</translation>
    </message>
    <message>
        <source>Server starting…</source>
        <translation>Server startet…</translation>
    </message>
    <message>
        <source>Server running</source>
        <translation>Server läuft</translation>
    </message>
    <message>
        <source>Server stopping…</source>
        <translation>Server wird gestoppt…</translation>
    </message>
    <message>
        <source>The server could not start.</source>
        <translation>Der Server konnte nicht starten.</translation>
    </message>
</context>
<context>
    <name>ServerPage</name>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Run the server in this app</source>
        <translation>Server in dieser App ausführen</translation>
    </message>
    <message>
        <source>Use a remote server</source>
        <translation>Entfernten Server verwenden</translation>
    </message>
    <message>
        <source>Remote server URL</source>
        <translation>URL des entfernten Servers</translation>
    </message>
    <message>
        <source>Listen address</source>
        <translation>Empfangsadresse</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>Public URL</source>
        <translation>Öffentliche URL</translation>
    </message>
    <message>
        <source>How Twilio and browsers reach this server</source>
        <translation>Wie Twilio und Browser diesen Server erreichen</translation>
    </message>
    <message>
        <source>CORS origins</source>
        <translation>CORS-Ursprünge</translation>
    </message>
    <message>
        <source>Comma separated, e.g. https://app.example.com</source>
        <translation>Durch Kommas getrennt, z. B. https://app.example.com</translation>
    </message>
    <message>
        <source>Settings file</source>
        <translation>Einstellungsdatei</translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <source>Your session has expired. Please sign in again.</source>
        <translation>Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.</translation>
    </message>
    <message>
        <source>Wrong email or password.</source>
        <translation>Falsche E-Mail-Adresse oder falsches Passwort.</translation>
    </message>
    <message>
        <source>Google sign-in failed: %1</source>
        <translation>Google-Anmeldung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Could not start the sign-in listener.</source>
        <translation>Der Empfänger für die Anmeldung konnte nicht gestartet werden.</translation>
    </message>
    <message>
        <source>The live connection was refused by the server.</source>
        <translation>Der Server hat die Live-Verbindung abgelehnt.</translation>
    </message>
    <message>
        <source>This server only takes invited people: ask an admin for an invitation.</source>
        <translation>Dieser Server nimmt nur eingeladene Personen auf: Bitten Sie einen Administrator um eine Einladung.</translation>
    </message>
    <message>
        <source>This server takes no new accounts.</source>
        <translation>Dieser Server nimmt keine neuen Konten an.</translation>
    </message>
</context>
<context>
    <name>SettingsController</name>
    <message>
        <source>Looking for a keychain…</source>
        <translation>Schlüsselbund wird gesucht…</translation>
    </message>
    <message>
        <source>Secrets are stored in the system keychain (service &quot;%1&quot;).</source>
        <translation>Geheimnisse werden im Schlüsselbund des Systems gespeichert (Dienst „%1“).</translation>
    </message>
    <message>
        <source>No keychain is available (%1): secrets are stored in files only you can read, in %2.</source>
        <translation>Kein Schlüsselbund verfügbar (%1): Geheimnisse werden in Dateien gespeichert, die nur Sie lesen können, in %2.</translation>
    </message>
    <message>
        <source>The settings could not be written to %1.</source>
        <translation>Die Einstellungen konnten nicht in %1 geschrieben werden.</translation>
    </message>
    <message>
        <source>Saved. Restart the server to apply the changes.</source>
        <translation>Gespeichert. Starten Sie den Server neu, um die Änderungen zu übernehmen.</translation>
    </message>
    <message>
        <source>The settings were saved, but the secret was not: %1</source>
        <translation>Die Einstellungen wurden gespeichert, das Geheimnis jedoch nicht: %1</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Verbindung wird hergestellt…</translation>
    </message>
    <message>
        <source>No server is running.</source>
        <translation>Es läuft kein Server.</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Anmeldung läuft…</translation>
    </message>
    <message>
        <source>This account is not an admin of any team.</source>
        <translation>Dieses Konto ist in keinem Team Administrator.</translation>
    </message>
    <message>
        <source>Role changed.</source>
        <translation>Rolle geändert.</translation>
    </message>
    <message>
        <source>Member removed.</source>
        <translation>Mitglied entfernt.</translation>
    </message>
    <message>
        <source>Member added.</source>
        <translation>Mitglied hinzugefügt.</translation>
    </message>
    <message>
        <source>Invitation sent.</source>
        <translation>Einladung verschickt.</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>Wird getestet…</translation>
    </message>
    <message>
        <source>Credentials saved.</source>
        <translation>Zugangsdaten gespeichert.</translation>
    </message>
</context>
<context>
    <name>SettingsWindow</name>
    <message>
        <source>Inbox Central settings</source>
        <translation>Inbox-Central-Einstellungen</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Datenbank</translation>
    </message>
    <message>
        <source>Sign-in</source>
        <translation>Anmeldung</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>Team</translation>
    </message>
    <message>
        <source>Twilio</source>
        <translation>Twilio</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
</context>
<context>
    <name>SignInBox</name>
    <message>
        <source>Admin email</source>
        <translation>E-Mail des Administrators</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Anmelden</translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <source>Sign in to Inbox Central</source>
        <translation>Bei Inbox Central anmelden</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Anmeldung läuft…</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <source>Sign in with Google</source>
        <translation>Mit Google anmelden</translation>
    </message>
    <message>
        <source>Create your Inbox Central account</source>
        <translation>Erstellen Sie Ihr Inbox-Central-Konto</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>Ihr Name</translation>
    </message>
    <message>
        <source>Password (at least 8 characters)</source>
        <translation>Passwort (mindestens 8 Zeichen)</translation>
    </message>
    <message>
        <source>Create account</source>
        <translation>Konto erstellen</translation>
    </message>
    <message>
        <source>I have an account: sign in</source>
        <translation>Ich habe ein Konto: anmelden</translation>
    </message>
    <message>
        <source>New here? Create an account</source>
        <translation>Neu hier? Konto erstellen</translation>
    </message>
</context>
<context>
    <name>StatusTicks</name>
    <message>
        <source>Scheduled</source>
        <translation>Geplant</translation>
    </message>
    <message>
        <source>Sending</source>
        <translation>Wird gesendet</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Gesendet</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>Zugestellt</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>Gelesen</translation>
    </message>
    <message>
        <source>Not delivered</source>
        <translation>Nicht zugestellt</translation>
    </message>
    <message>
        <source>Canceled</source>
        <translation>Abgebrochen</translation>
    </message>
</context>
<context>
    <name>TeamPage</name>
    <message>
        <source>Viewer</source>
        <translation>Betrachter</translation>
    </message>
    <message>
        <source>Editor</source>
        <translation>Bearbeiter</translation>
    </message>
    <message>
        <source>Admin</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <source>Team: %1</source>
        <translation>Team: %1</translation>
    </message>
    <message>
        <source>%1 &lt;%2&gt;</source>
        <translation>%1 &lt;%2&gt;</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Email of the new member</source>
        <translation>E-Mail des neuen Mitglieds</translation>
    </message>
    <message>
        <source>Add or invite</source>
        <translation>Hinzufügen oder einladen</translation>
    </message>
</context>
<context>
    <name>TrayMenu</name>
    <message>
        <source>Open inbox</source>
        <translation>Posteingang öffnen</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Einstellungen…</translation>
    </message>
    <message>
        <source>Start server</source>
        <translation>Server starten</translation>
    </message>
    <message>
        <source>Stop server</source>
        <translation>Server stoppen</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <source>Address: %1</source>
        <translation>Adresse: %1</translation>
    </message>
    <message>
        <source>Connected clients: %1</source>
        <translation>Verbundene Clients: %1</translation>
    </message>
    <message>
        <source>Last error: %1</source>
        <translation>Letzter Fehler: %1</translation>
    </message>
    <message>
        <source>Inbox Central — %1</source>
        <translation>Inbox Central — %1</translation>
    </message>
</context>
<context>
    <name>TwilioCredentialTester</name>
    <message>
        <source>The account SID is AC followed by 32 hexadecimal digits.</source>
        <translation>Die Konto-SID besteht aus AC und 32 Hexadezimalziffern.</translation>
    </message>
    <message>
        <source>Enter the auth token to test it (a stored token is never shown).</source>
        <translation>Geben Sie das Auth-Token ein, um es zu testen (ein gespeichertes Token wird nie angezeigt).</translation>
    </message>
    <message>
        <source>Twilio accepted the credentials: account &quot;%1&quot; (%2).</source>
        <translation>Twilio hat die Zugangsdaten akzeptiert: Konto „%1“ (%2).</translation>
    </message>
    <message>
        <source>Twilio refused these credentials (HTTP %1).</source>
        <translation>Twilio hat diese Zugangsdaten abgelehnt (HTTP %1).</translation>
    </message>
    <message>
        <source>Twilio knows no such account (HTTP 404).</source>
        <translation>Twilio kennt dieses Konto nicht (HTTP 404).</translation>
    </message>
    <message>
        <source>Twilio could not be reached: %1</source>
        <translation>Twilio war nicht erreichbar: %1</translation>
    </message>
    <message>
        <source>Twilio answered HTTP %1: %2</source>
        <translation>Twilio antwortete mit HTTP %1: %2</translation>
    </message>
</context>
<context>
    <name>TwilioPage</name>
    <message>
        <source>Twilio API base</source>
        <translation>Twilio-API-Basis</translation>
    </message>
    <message>
        <source>This team has no inbox yet.</source>
        <translation>Dieses Team hat noch keinen Posteingang.</translation>
    </message>
    <message>
        <source>%1 (%2, %3)</source>
        <translation>%1 (%2, %3)</translation>
    </message>
    <message>
        <source>Account SID (AC…)</source>
        <translation>Konto-SID (AC…)</translation>
    </message>
    <message>
        <source>Auth token stored; type to replace</source>
        <translation>Auth-Token gespeichert; zum Ersetzen neu eingeben</translation>
    </message>
    <message>
        <source>Auth token</source>
        <translation>Auth-Token</translation>
    </message>
    <message>
        <source>Test credentials</source>
        <translation>Zugangsdaten testen</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
</context>
<context>
    <name>UiHelpers</name>
    <message>
        <source>Yesterday</source>
        <translation>Gestern</translation>
    </message>
    <message>
        <source>In 1 hour</source>
        <translation>In 1 Stunde</translation>
    </message>
    <message>
        <source>In 3 hours</source>
        <translation>In 3 Stunden</translation>
    </message>
    <message>
        <source>Tomorrow at 9:00</source>
        <translation>Morgen um 9:00</translation>
    </message>
    <message>
        <source>Monday at 9:00</source>
        <translation>Montag um 9:00</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Inbox Central on the desktop: tray, embedded server, inbox and settings.</source>
        <translation>Inbox Central auf dem Desktop: Infobereich, eingebetteter Server, Posteingang und Einstellungen.</translation>
    </message>
    <message>
        <source>The settings file to use.</source>
        <translation>Die zu verwendende Einstellungsdatei.</translation>
    </message>
    <message>
        <source>file</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>Do not show a tray icon; open the inbox window.</source>
        <translation>Kein Symbol im Infobereich anzeigen; das Posteingangsfenster öffnen.</translation>
    </message>
    <message>
        <source>Open the inbox window at start.</source>
        <translation>Das Posteingangsfenster beim Start öffnen.</translation>
    </message>
    <message>
        <source>Open the settings window at start.</source>
        <translation>Das Einstellungsfenster beim Start öffnen.</translation>
    </message>
</context>
</TS>

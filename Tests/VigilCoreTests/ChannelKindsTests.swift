import Foundation
import Testing
import VigilCore

/// Slack, Telex and email channels: their configs, write-only fields and pacing.
@Suite struct ChannelKindsTests {
    static let now = DetectionTests.base

    static func parse(_ json: String, onto base: NotificationChannel? = nil) -> Result<NotificationChannel, ValidationFailure> {
        NotificationChannel.validate(try! JSONParser.parse(Array(json.utf8)), onto: base, now: now)
    }

    static func fields(_ result: Result<NotificationChannel, ValidationFailure>) -> [String] {
        guard case .failure(let failure) = result else { return [] }
        return failure.errors.map(\.field)
    }

    @Test func slackAndTelexURLsAreWriteOnlyAndKeptOnPatch() throws {
        let slack = try Self.parse(#"{"name":"soc","kind":"slack","config":{"url":"https://hooks.slack.com/services/T/B/x"}}"#).get()
        #expect(slack.config == .slack(url: "https://hooks.slack.com/services/T/B/x"))
        #expect(!slack.json().contains("hooks.slack.com") && slack.json().contains(#""url_set":true"#))
        let renamed = try Self.parse(#"{"name":"soc2","config":{}}"#, onto: slack).get()
        #expect(renamed.config == slack.config, "a PATCH without the URL keeps it")
        let telex = try Self.parse(#"{"name":"t","kind":"telex","config":{"url":"https://ping.telex.im/v1/webhooks/abc","channel_id":"0192-ab_c"}}"#)
            .get()
        #expect(telex.config == .telex(url: "https://ping.telex.im/v1/webhooks/abc", channelID: "0192-ab_c"))
        #expect(telex.json().contains(#""channel_id":"0192-ab_c""#) && !telex.json().contains("ping.telex.im"))
        #expect(
            NotificationChannel.stored(id: telex.id, definition: telex.definition.canonicalJSON, createdAt: Self.now, updatedAt: Self.now) == telex
        )
        #expect(Self.fields(Self.parse(#"{"name":"s","kind":"slack","config":{}}"#)) == ["config.url"])
        #expect(
            Self.fields(Self.parse(#"{"name":"s","kind":"slack","config":{"url":"ftp://x/y","secret":"z"}}"#)) == ["config.secret", "config.url"]
        )
        #expect(Self.fields(Self.parse(#"{"name":"t","kind":"telex","config":{"url":"https://t/x","channel_id":"a b"}}"#)) == ["config.channel_id"])
        // Changing the kind needs a config of the new kind.
        #expect(Self.fields(Self.parse(#"{"kind":"telex"}"#, onto: slack)) == ["config"])
    }

    @Test func emailSettingsValidateEveryFieldAndHideThePassword() throws {
        let email = try Self.parse(
            #"{"name":"mail","kind":"email","config":{"host":"smtp.example.org","security":"tls","username":"vigil","password":"s3cret","from":"vigil@example.org","to":["soc@example.org","oncall@example.org"]}}"#
        ).get()
        guard case .email(let settings) = email.config else {
            Issue.record("not an email channel")
            return
        }
        #expect(settings.port == 465, "the port defaults by security")
        #expect(settings.password == "s3cret" && !email.json().contains("s3cret") && email.json().contains(#""password_set":true"#))
        // The stored password stays only while it would go to the same server the same way.
        let patched = try Self.parse(
            #"{"config":{"host":"smtp.example.org","security":"tls","username":"vigil","from":"vigil@example.org","to":["a@b.c"]}}"#,
            onto: email
        )
        .get()
        guard case .email(let kept) = patched.config else { return }
        #expect(kept.password == "s3cret" && kept.security == .tls && kept.port == 465)
        for config in [
            #"{"host":"attacker.example","security":"tls","username":"vigil","from":"vigil@example.org","to":["a@b.c"]}"#,
            #"{"host":"smtp.example.org","security":"none","port":465,"username":"vigil","from":"vigil@example.org","to":["a@b.c"]}"#,
            #"{"host":"smtp.example.org","security":"tls","port":2465,"username":"vigil","from":"vigil@example.org","to":["a@b.c"]}"#,
        ] {
            #expect(Self.fields(Self.parse(#"{"config":\#(config)}"#, onto: email)) == ["config.password"], "\(config)")
        }
        let bad = Self.fields(
            Self.parse(
                #"{"name":"m","kind":"email","config":{"host":"smtp\r\nx","port":0,"security":"ssl","username":"u","from":"a@b\r\nBcc: x@y","to":["ok@x.y","no"],"cc":[]}}"#
            )
        )
        #expect(
            Set(bad) == ["config.cc", "config.security", "config.host", "config.port", "config.password", "config.from", "config.to[1]"]
        )
        #expect(Self.fields(Self.parse(#"{"name":"m","kind":"email","config":{"host":"h","from":"a@b.c","to":[]}}"#)) == ["config.to"])
    }

    @Test func addressesCannotCarryCommandsOrHeaders() {
        for good in ["soc@example.org", "a.b+tag@sub.example.co", "vigil@localhost"] { #expect(EmailSettings.isAddress(good), "\(good)") }
        for bad in ["", "a", "@x", "a@", "a b@c.d", "a@b.c>", "<a@b.c>", "a@b.c\r\nRCPT TO:<x@y>", "a@-b.c", "a@b..c", "ä@b.c"] {
            #expect(!EmailSettings.isAddress(bad), "\(bad)")
        }
    }

    @Test func chatAndMailArePacedWebhooksAreNot() {
        #expect(ChannelKind.webhook.pace == nil && ChannelKind.webhook.paceMilliseconds == 0)
        #expect(ChannelKind.slack.paceMilliseconds == 1000 && ChannelKind.telex.paceMilliseconds == 1000)
        #expect(ChannelKind.email.paceMilliseconds == 10_000)
    }

    @Test func telexTicksAreValidatedAndTiedToTheChannelsHost() throws {
        func tick(_ json: String) -> Result<TelexTickRequest, ValidationFailure> {
            TelexTickRequest.validate(try! JSONParser.parse(Array(json.utf8)))
        }
        let ok = try tick(
            #"{"channel_id":"c1","return_url":"https://ping.telex.im/v1/return/c1","settings":[{"label":"interval","type":"text","required":true,"default":"*/5 * * * *"},{"label":"min_severity","type":"dropdown","required":true,"default":"critical"}]}"#
        ).get()
        #expect(ok.minSeverity == .critical)
        #expect(ok.returnURLMatches("https://ping.telex.im/v1/webhooks/xyz"))
        #expect(ok.returnURLMatches("https://PING.telex.im:443/other"))
        #expect(!ok.returnURLMatches("http://ping.telex.im/v1/webhooks/xyz"), "another scheme")
        #expect(!ok.returnURLMatches("https://ping.telex.im.evil.example/x"))
        // Same host, but another Telex channel's return URL: the digest would go to its owner.
        let other = try tick(#"{"channel_id":"c1","return_url":"https://ping.telex.im/v1/return/attacker-channel"}"#).get()
        #expect(!other.returnURLMatches("https://ping.telex.im/v1/webhooks/xyz"))
        let sneaky = try tick(#"{"channel_id":"c1","return_url":"https://ping.telex.im/v1/return/other?to=c1"}"#).get()
        #expect(!sneaky.returnURLMatches("https://ping.telex.im/v1/webhooks/xyz"))
        guard case .failure(let failure) = tick(#"{"return_url":"file:///etc/passwd","settings":[{"label":"min_severity","default":"loud"}],"x":1}"#)
        else {
            Issue.record("accepted a bad tick")
            return
        }
        #expect(Set(failure.errors.map(\.field)) == ["x", "channel_id", "return_url", "settings[0].default"])
    }
}

import Testing
import VigilCore

@Suite struct IPAddressTests {
    @Test(arguments: [
        ("192.168.0.1", "192.168.0.1"),
        ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"),
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),
        ("0:0:0:0:0:0:0:0", "::"),
        ("::ffff:192.0.2.1", "::ffff:192.0.2.1"),
        ("fe80:0000:0000:0000:0204:61ff:fe9d:f156", "fe80::204:61ff:fe9d:f156"),
    ])
    func normalizesToRFC5952(input: String, expected: String) throws {
        #expect(try #require(IPAddress(input)).text == expected)
    }

    @Test(arguments: ["", "256.1.1.1", "1.2.3", "01.2.3.4", "::g", "1.2.3.4/8", "localhost", "1.2.3.4 ", "fe80::1%eth0"])
    func rejectsInvalid(input: String) {
        #expect(IPAddress(input) == nil)
    }

    @Test func cidrContainment() throws {
        let v4 = try #require(CIDRRange("10.0.0.0/8"))
        #expect(v4.contains(try #require(IPAddress("10.255.1.2"))))
        #expect(!v4.contains(try #require(IPAddress("11.0.0.1"))))
        #expect(!v4.contains(try #require(IPAddress("::a00:1"))))
        let v6 = try #require(CIDRRange("2001:db8::/32"))
        #expect(v6.contains(try #require(IPAddress("2001:db8:ffff::1"))))
        #expect(!v6.contains(try #require(IPAddress("2001:db9::1"))))
        let host = try #require(CIDRRange("192.0.2.7"))
        #expect(host.contains(try #require(IPAddress("192.0.2.7"))))
        #expect(!host.contains(try #require(IPAddress("192.0.2.8"))))
        #expect(try #require(CIDRRange("0.0.0.0/0")).contains(try #require(IPAddress("8.8.8.8"))))
        for bad in ["10.0.0.0/33", "10.0.0.0/", "10.0.0.0/-1", "::/129", "x/8", "10.0.0.0/8/8"] {
            #expect(CIDRRange(bad) == nil, "\(bad)")
        }
    }
}

using System.Collections.Generic;

namespace IoTSec.Gateway.Hosting;

/// <summary>
/// The embedded defaults: the lowest configuration layer, under environment variables
/// (<c>IOTSEC__…</c>) and the command line. They make <c>iotsec-gateway run</c> work on a
/// laptop with nothing installed — software keys, a development PKI and a development protocol
/// allowlist in the data directory, each announced by a loud warning — and keep EST on the loopback. A
/// production gateway overrides them: <c>IoTSec:KeyStore:Backend=tpm</c>,
/// <c>IoTSec:KeyStore:AllowSoftwareKeys=false</c>, <c>IoTSec:Pki:AllowDevelopmentPki=false</c>,
/// <c>IoTSec:Policy:AllowDevelopmentPolicy=false</c>
/// (docs/operations.md, "Running the gateway").
/// </summary>
public static class GatewayDefaults
{
    /// <summary>The embedded defaults as configuration keys and values.</summary>
    public static IReadOnlyDictionary<string, string?> Values { get; } = new Dictionary<string, string?>
    {
        ["IoTSec:KeyStore:Backend"] = "software",
        ["IoTSec:KeyStore:AllowSoftwareKeys"] = "true",
        ["IoTSec:Pki:AllowDevelopmentPki"] = "true",
        ["IoTSec:Policy:AllowDevelopmentPolicy"] = "true",
        ["IoTSec:Est:Address"] = "127.0.0.1",
        ["IoTSec:Est:Port"] = "8443",
        // A laptop has no tamper switch; a gateway sets IoTSec:Tamper:Enabled=true (its default).
        ["IoTSec:Tamper:Enabled"] = "false",
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
    };
}

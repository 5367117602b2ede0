using System;
using System.Collections.Generic;
using System.Net;

namespace IoTSec.Gateway.Core.Pki;

/// <summary>What goes into the gateway's TLS server certificates (broker, EST, downloads).</summary>
public sealed class ServerCertificateOptions
{
    /// <summary>The subject CN; informational (clients match the SAN).</summary>
    public string CommonName { get; init; } = "iotsec-gateway";

    /// <summary>DNS names in the SAN. The embedded defaults serve on the loopback, so "localhost".</summary>
    public IReadOnlyList<string> DnsNames { get; init; } = ["localhost"];

    /// <summary>IP addresses in the SAN; devices that connect by address (no DNS on the field network) match these.</summary>
    public IReadOnlyList<IPAddress> IpAddresses { get; init; } = [IPAddress.Loopback, IPAddress.IPv6Loopback];

    /// <summary>Lifetime of each certificate; rotated after two thirds of it.</summary>
    public TimeSpan Validity { get; init; } = PkiDefaults.ServerValidity;

    /// <summary>Throws when the options cannot make a usable certificate.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(CommonName))
        {
            throw new ArgumentException("the server certificate's common name is empty");
        }

        if (DnsNames.Count == 0 && IpAddresses.Count == 0)
        {
            throw new ArgumentException("a server certificate needs at least one DNS name or IP address");
        }

        foreach (var name in DnsNames)
        {
            if (Uri.CheckHostName(name) != UriHostNameType.Dns)
            {
                throw new ArgumentException($"'{name}' is not a DNS name");
            }
        }

        if (Validity < TimeSpan.FromMinutes(10) || Validity > PkiDefaults.MaxServerValidity)
        {
            throw new ArgumentException($"a server certificate's validity is 10 minutes to {PkiDefaults.MaxServerValidity.TotalDays} days, got {Validity}");
        }
    }
}

using System.Security.Cryptography.X509Certificates;

namespace IoTSec.Gateway.Core.Pki;

/// <summary>The outcome of <see cref="ClientCertificateValidator.Validate"/>.</summary>
public sealed class ClientCertificateVerdict
{
    private ClientCertificateVerdict(ClientCertificateRejection reason, string detail, string? deviceId, X509Certificate2? intermediate)
    {
        Reason = reason;
        Detail = detail;
        DeviceId = deviceId;
        Intermediate = intermediate;
    }

    /// <summary>True when the certificate is accepted.</summary>
    public bool IsAccepted => Reason == ClientCertificateRejection.None;

    /// <summary>The typed reason (<see cref="ClientCertificateRejection.None"/> when accepted).</summary>
    public ClientCertificateRejection Reason { get; }

    /// <summary>Human-readable detail for logs and audit (never sent to the client).</summary>
    public string Detail { get; }

    /// <summary>The device id (the leaf's CN) when accepted.</summary>
    public string? DeviceId { get; }

    /// <summary>The gateway intermediate that issued the certificate, when accepted.</summary>
    public X509Certificate2? Intermediate { get; }

    internal static ClientCertificateVerdict Accept(string deviceId, X509Certificate2 intermediate) =>
        new(ClientCertificateRejection.None, "accepted", deviceId, intermediate);

    internal static ClientCertificateVerdict Refuse(ClientCertificateRejection reason, string detail) => new(reason, detail, null, null);

    /// <summary>For logs: "accepted device X" or "Reason: detail".</summary>
    public override string ToString() => IsAccepted ? $"accepted device {DeviceId}" : $"{Reason}: {Detail}";
}

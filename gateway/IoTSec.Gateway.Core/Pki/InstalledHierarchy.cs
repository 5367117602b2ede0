using System;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Keys;

namespace IoTSec.Gateway.Core.Pki;

/// <summary>What <see cref="InstalledHierarchy.Install"/> installed.</summary>
/// <param name="RootPath">Where the root went.</param>
/// <param name="IntermediatePath">Where the intermediate went.</param>
/// <param name="RecoveryPath">Where the recovery certificate went (null when none was given).</param>
/// <param name="IntermediateNotAfter">When the intermediate expires.</param>
/// <param name="ExpiresSoon">True when it expires within <see cref="InstalledHierarchy.ExpiryWarning"/>.</param>
public sealed record HierarchyInstallation(string RootPath, string IntermediatePath, string? RecoveryPath, DateTimeOffset IntermediateNotAfter, bool ExpiresSoon);

/// <summary>
/// The CA ceremony's output in the data directory (<c>&lt;data&gt;/pki/</c>): the offline root,
/// this gateway's intermediate, and the backup recovery certificate. Installed only after
/// the same checks the daemon makes at start, so a mistake is refused at the gateway with
/// the operator standing there, not at the next restart.
/// </summary>
public static class InstalledHierarchy
{
    /// <summary>The directory under the data directory.</summary>
    public const string DirectoryName = "pki";

    /// <summary>An intermediate that expires sooner than this is installed with a warning.</summary>
    public static readonly TimeSpan ExpiryWarning = TimeSpan.FromDays(30);

    /// <summary>The installed root (the daemon's default <c>IoTSec:Pki:RootCertificate</c>).</summary>
    public static string RootPath(GatewayDataDirectory data) => Path.Combine(Checked(data).Root, DirectoryName, "root.pem");

    /// <summary>The installed intermediate (the daemon's default <c>IoTSec:Pki:IntermediateCertificate</c>).</summary>
    public static string IntermediatePath(GatewayDataDirectory data) => Path.Combine(Checked(data).Root, DirectoryName, "intermediate.pem");

    /// <summary>The installed recovery certificate (what backups are encrypted to by default).</summary>
    public static string RecoveryPath(GatewayDataDirectory data) => Path.Combine(Checked(data).Root, DirectoryName, "recovery.pem");

    /// <summary>
    /// Intermediates of gateways this one replaced (brought by a restore): path candidates, not
    /// trust anchors, so that devices which send only their leaf certificate are still
    /// recognised until they renew onto this gateway's intermediate.
    /// </summary>
    public static string PreviousIntermediatesPath(GatewayDataDirectory data) => Path.Combine(Checked(data).Root, DirectoryName, "previous-intermediates.pem");

    /// <summary>Adds <paramref name="intermediate"/> to <see cref="PreviousIntermediatesPath"/> (once; the file is rewritten atomically).</summary>
    public static void AddPreviousIntermediate(GatewayDataDirectory data, X509Certificate2 intermediate)
    {
        ArgumentNullException.ThrowIfNull(intermediate);
        var path = PreviousIntermediatesPath(data);
        var known = new X509Certificate2Collection();
        if (File.Exists(path))
        {
            known.ImportFromPemFile(path);
        }

        foreach (var certificate in known)
        {
            if (certificate.RawData.AsSpan().SequenceEqual(intermediate.RawData))
            {
                return;
            }
        }

        known.Add(intermediate);
        var pem = new StringBuilder();
        foreach (var certificate in known)
        {
            pem.Append(certificate.ExportCertificatePem()).Append('\n');
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        WriteAtomically(path, Encoding.ASCII.GetBytes(pem.ToString()));
    }

    /// <summary>
    /// The previous intermediates that are still gateway intermediates under <paramref name="root"/>
    /// at <paramref name="now"/> (others are left out: an expired one vouches for nothing).
    /// </summary>
    public static X509Certificate2Collection LoadPreviousIntermediates(GatewayDataDirectory data, X509Certificate2 root, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(root);
        var path = PreviousIntermediatesPath(data);
        var usable = new X509Certificate2Collection();
        if (!File.Exists(path))
        {
            return usable;
        }

        var candidates = new X509Certificate2Collection();
        candidates.ImportFromPemFile(path);
        foreach (var candidate in candidates)
        {
            using var chain = new X509Chain { ChainPolicy = GatewayCertificateAuthority.AnchoredPolicy(root, now) };
            if (GatewayCertificateAuthority.IsCa(candidate) && CertificatePolicies.Contains(candidate, CertificatePolicies.GatewayIntermediate)
                && chain.Build(candidate) && chain.ChainElements.Count == 2)
            {
                usable.Add(candidate);
            }
        }

        return usable;
    }

    /// <summary>
    /// Checks and installs. The intermediate must chain to the root, carry the gateway
    /// intermediate policy, certify this gateway's DeviceCa key and be valid now; the
    /// recovery certificate, when given, must be the root's. Each file is written atomically;
    /// the installation is audited.
    /// </summary>
    /// <exception cref="GatewayPkiException">A check failed; the message says which.</exception>
    public static HierarchyInstallation Install(
        GatewayDataDirectory data, X509Certificate2 root, X509Certificate2 intermediate, X509Certificate2? recovery,
        IGatewayKeyStore keyStore, AuditLog audit, string actor, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(keyStore);
        ArgumentNullException.ThrowIfNull(audit);
        var time = timeProvider ?? TimeProvider.System;
        var now = time.GetUtcNow();
        if (now < intermediate.NotBefore.ToUniversalTime())
        {
            throw new GatewayPkiException($"the intermediate '{intermediate.Subject}' is not valid before {intermediate.NotBefore.ToUniversalTime():u}; check this gateway's clock");
        }

        // The daemon's own start-up check: self-signed CA root, gateway-intermediate policy,
        // not expired, signed by the root, and certifying this gateway's DeviceCa key.
        var key = keyStore.Open(GatewayKeyRole.DeviceCa);
        try
        {
            GatewayCertificateAuthority.Create(root, intermediate, key, time).Dispose();
        }
        catch
        {
            key.Dispose();
            throw;
        }

        if (recovery is not null)
        {
            RecoveryCertificate.Validate(recovery, root, now);
        }

        Directory.CreateDirectory(Path.Combine(data.Root, DirectoryName));
        WritePublic(RecoveryPath(data), recovery);
        WritePublic(IntermediatePath(data), intermediate);
        WritePublic(RootPath(data), root);
        var notAfter = new DateTimeOffset(intermediate.NotAfter.ToUniversalTime());
        audit.Append(AuditEventKind.HierarchyInstalled, actor, intermediate.GetNameInfo(X509NameType.SimpleName, false), new JsonObject
        {
            ["rootSha256"] = Fingerprint(root),
            ["intermediateSha256"] = Fingerprint(intermediate),
            ["intermediateNotAfter"] = notAfter.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["recoverySha256"] = recovery is null ? null : Fingerprint(recovery),
        });
        return new HierarchyInstallation(RootPath(data), IntermediatePath(data), recovery is null ? null : RecoveryPath(data), notAfter, notAfter - now < ExpiryWarning);
    }

    /// <summary>Lower-case hex SHA-256 of the certificate's DER (what <c>openssl x509 -fingerprint -sha256</c> prints, without colons).</summary>
    public static string Fingerprint(X509Certificate2 certificate) =>
        certificate.GetCertHashString(HashAlgorithmName.SHA256).ToLowerInvariant();

    private static void WritePublic(string path, X509Certificate2? certificate)
    {
        if (certificate is null)
        {
            return;
        }

        WriteAtomically(path, Encoding.ASCII.GetBytes(certificate.ExportCertificatePem() + "\n"));
    }

    private static void WriteAtomically(string path, byte[] content)
    {
        var temporary = path + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static GatewayDataDirectory Checked(GatewayDataDirectory data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data;
    }
}

using System;
using System.Collections.Generic;
using System.Formats.Tar;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Core.Pki;

namespace IoTSec.Gateway.Core.Backup;

/// <summary>What <see cref="GatewayBackupWriter.Write"/> wrote.</summary>
/// <param name="Path">The backup file.</param>
/// <param name="Bytes">Its size.</param>
/// <param name="Sha256">SHA-256 of the file (hex), as recorded in the audit entry.</param>
/// <param name="Manifest">The manifest inside.</param>
public sealed record BackupSummary(string Path, long Bytes, string Sha256, BackupManifest Manifest);

/// <summary>
/// Writes a gateway backup (<see cref="BackupFormat"/>): a consistent snapshot of the
/// databases and the unsealed heartbeat secret, signed by the gateway's CA key (in the TPM:
/// proof the file came from a gateway of this fleet, which holding the public recovery
/// certificate does not give) and encrypted to the recovery certificate.
/// </summary>
public static class GatewayBackupWriter
{
    /// <summary>Writes the backup of <paramref name="data"/> to <paramref name="outPath"/> (atomically, 0600; refuses an existing file) and audits it.</summary>
    /// <exception cref="BackupRejectedException">The recovery certificate is not the root's, or the secret stays sealed.</exception>
    /// <exception cref="IOException">The output exists or cannot be written; a database is missing.</exception>
    public static BackupSummary Write(
        string outPath, GatewayDataDirectory data, GatewayCertificateAuthority authority, ISecretSealer sealer,
        X509Certificate2 recoveryCertificate, string keyBackend, string actor, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outPath);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentNullException.ThrowIfNull(sealer);
        ArgumentNullException.ThrowIfNull(recoveryCertificate);
        var time = timeProvider ?? TimeProvider.System;
        var now = time.GetUtcNow();
        try
        {
            RecoveryCertificate.Validate(recoveryCertificate, authority.Root, now);
        }
        catch (GatewayPkiException e)
        {
            throw new BackupRejectedException(BackupRejection.InvalidRecoveryCertificate, e.Message, e);
        }

        if (File.Exists(outPath))
        {
            throw new IOException($"'{outPath}' exists; refusing to overwrite it");
        }

        foreach (var required in new[] { data.InventoryDatabase, data.AuditDatabase, data.AuditAnchorDatabase })
        {
            if (!File.Exists(required))
            {
                throw new IOException($"'{required}' does not exist: nothing to back up in '{data.Root}'");
            }
        }

        var payload = BuildPayload(data, authority, sealer, keyBackend, now, out var manifest);
        byte[]? signed = null;
        try
        {
            signed = Sign(payload, authority, now);
            var envelope = Encrypt(signed, recoveryCertificate);
            WriteAtomically(outPath, envelope);
            var digest = Convert.ToHexStringLower(SHA256.HashData(envelope));
            using (var audit = AuditLog.Open(data, time))
            {
                audit.Append(AuditEventKind.Backup, actor, manifest.Gateway, new JsonObject
                {
                    ["file"] = Path.GetFullPath(outPath),
                    ["fileSha256"] = digest,
                    ["recoveryCertificateSha256"] = recoveryCertificate.GetCertHashString(HashAlgorithmName.SHA256).ToLowerInvariant(),
                    ["databases"] = string.Join(",", manifest.Files.Select(file => file.Name)),
                });
            }

            return new BackupSummary(Path.GetFullPath(outPath), envelope.Length, digest, manifest);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(payload);
            if (signed is not null)
            {
                CryptographicOperations.ZeroMemory(signed);
            }
        }
    }

    private static byte[] BuildPayload(GatewayDataDirectory data, GatewayCertificateAuthority authority, ISecretSealer sealer, string keyBackend, DateTimeOffset now, out BackupManifest manifest)
    {
        byte[] secret;
        try
        {
            secret = sealer.Unseal(HeartbeatSecret.SealedName);
        }
        catch (SecretSealedException e)
        {
            throw new BackupRejectedException(BackupRejection.SecretUnavailable, "the heartbeat secret cannot be unsealed, so it cannot be backed up: " + e.Message, e);
        }

        try
        {
            var databases = DatabaseSnapshot.Take(data, BackupFormat.Databases.Keys);
            var files = new List<BackupFileEntry>();
            foreach (var (name, (content, version)) in databases)
            {
                files.Add(new BackupFileEntry(name, content.Length, Convert.ToHexStringLower(SHA256.HashData(content)), version));
            }

            files.Add(new BackupFileEntry(BackupFormat.HeartbeatSecretName, secret.Length, Convert.ToHexStringLower(SHA256.HashData(secret)), null));
            manifest = new BackupManifest(
                now, authority.Intermediate.GetNameInfo(X509NameType.SimpleName, false), authority.Intermediate.GetCertHashString(HashAlgorithmName.SHA256).ToLowerInvariant(),
                keyBackend, "iotsec-gateway " + Producer(), files);

            using var buffer = new MemoryStream();
            using (var tar = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
            {
                Add(tar, BackupFormat.ManifestName, manifest.ToJson(), now);
                foreach (var (name, (content, _)) in databases)
                {
                    Add(tar, name, content, now);
                }

                Add(tar, BackupFormat.HeartbeatSecretName, secret, now);
            }

            var payload = buffer.ToArray();
            CryptographicOperations.ZeroMemory(buffer.GetBuffer());
            return payload;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    private static void Add(TarWriter tar, string name, byte[] content, DateTimeOffset now)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            ModificationTime = now,
            DataStream = new MemoryStream(content, writable: false),
        };
        tar.WriteEntry(entry);
    }

    // SHA-256 only: the TPM provider signs nothing else. The intermediate goes along so the
    // restoring gateway can build signer -> root without the old gateway's files.
    private static byte[] Sign(byte[] payload, GatewayCertificateAuthority authority, DateTimeOffset now)
    {
        var cms = new SignedCms(new ContentInfo(new Oid(BackupFormat.DataOid), payload), detached: false);
        var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, authority.Intermediate, authority.SigningKey)
        {
            DigestAlgorithm = new Oid(BackupFormat.Sha256Oid),
            IncludeOption = X509IncludeOption.EndCertOnly,
        };
        signer.SignedAttributes.Add(new Pkcs9SigningTime(now.UtcDateTime));
        cms.ComputeSignature(signer, silent: true);
        return cms.Encode();
    }

    private static byte[] Encrypt(byte[] signed, X509Certificate2 recoveryCertificate)
    {
        var envelope = new EnvelopedCms(new ContentInfo(new Oid(BackupFormat.DataOid), signed), new AlgorithmIdentifier(new Oid(BackupFormat.Aes256CbcOid)));
        envelope.Encrypt(new CmsRecipient(SubjectIdentifierType.IssuerAndSerialNumber, recoveryCertificate, RSAEncryptionPadding.OaepSHA256));
        return envelope.Encode();
    }

    private static void WriteAtomically(string path, byte[] content)
    {
        var full = Path.GetFullPath(path);
        var temporary = full + ".tmp-" + Guid.NewGuid().ToString("N");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: false);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static string Producer() =>
        typeof(GatewayBackupWriter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}

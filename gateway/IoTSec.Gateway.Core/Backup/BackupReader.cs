using System;
using System.Collections.Generic;
using System.Formats.Tar;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using IoTSec.Gateway.Core.Pki;

namespace IoTSec.Gateway.Core.Backup;

/// <summary>
/// A backup file opened and checked: decrypted with the recovery key, its signature verified,
/// its signer chained to the offline root as a gateway intermediate, and every file matched
/// against the manifest. Holds plaintext (databases, the heartbeat secret): dispose it to wipe them.
/// </summary>
public sealed class OpenedBackup : IDisposable
{
    internal OpenedBackup(BackupManifest manifest, X509Certificate2 signer, Dictionary<string, byte[]> files)
    {
        Manifest = manifest;
        Signer = signer;
        Files = files;
    }

    /// <summary>The verified manifest.</summary>
    public BackupManifest Manifest { get; }

    /// <summary>The source gateway's intermediate that signed the backup.</summary>
    public X509Certificate2 Signer { get; }

    /// <summary>File name to content (plaintext).</summary>
    internal Dictionary<string, byte[]> Files { get; }

    /// <summary>Wipes the plaintext.</summary>
    public void Dispose()
    {
        foreach (var content in Files.Values)
        {
            CryptographicOperations.ZeroMemory(content);
        }

        Files.Clear();
    }
}

/// <summary>Opens and checks backup files (<see cref="BackupFormat"/>); every refusal is a <see cref="BackupRejectedException"/> with its reason.</summary>
public static class BackupReader
{
    /// <summary>Largest clock difference tolerated between the backup's creation time and now.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>Reads <paramref name="path"/> (at most <see cref="BackupFormat.MaxFileBytes"/>) and opens it.</summary>
    public static OpenedBackup Open(string path, RSA recoveryKey, X509Certificate2 root, TimeProvider? timeProvider = null)
    {
        var length = new FileInfo(path).Length;
        if (length > BackupFormat.MaxFileBytes)
        {
            throw new BackupRejectedException(BackupRejection.TooLarge, $"'{path}' has {length} bytes; a backup has at most {BackupFormat.MaxFileBytes}");
        }

        return Open(File.ReadAllBytes(path), recoveryKey, root, timeProvider);
    }

    /// <summary>Decrypts, verifies and unpacks a backup.</summary>
    public static OpenedBackup Open(byte[] file, RSA recoveryKey, X509Certificate2 root, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(recoveryKey);
        ArgumentNullException.ThrowIfNull(root);
        if (file.Length > BackupFormat.MaxFileBytes)
        {
            throw new BackupRejectedException(BackupRejection.TooLarge, $"the backup has {file.Length} bytes; at most {BackupFormat.MaxFileBytes}");
        }

        var signedBytes = Decrypt(file, recoveryKey);
        byte[]? payload = null;
        try
        {
            var signed = new SignedCms();
            try
            {
                signed.Decode(signedBytes);
                if (signed.SignerInfos.Count != 1)
                {
                    throw new BackupRejectedException(BackupRejection.SignatureInvalid, $"the backup carries {signed.SignerInfos.Count} signatures, not one");
                }

                signed.CheckSignature(verifySignatureOnly: true);
            }
            catch (CryptographicException e)
            {
                throw new BackupRejectedException(BackupRejection.SignatureInvalid, "the backup's signature does not verify: the file was changed after the gateway wrote it (" + e.Message + ")", e);
            }

            var signer = signed.SignerInfos[0].Certificate
                ?? throw new BackupRejectedException(BackupRejection.SignatureInvalid, "the backup does not carry its signer's certificate");
            payload = signed.ContentInfo.Content;
            var files = Unpack(payload);
            try
            {
                var manifest = BackupManifest.Parse(files[BackupFormat.ManifestName]);
                CheckSigner(signer, root, manifest, (timeProvider ?? TimeProvider.System).GetUtcNow());
                CheckFiles(manifest, files);
                CryptographicOperations.ZeroMemory(files[BackupFormat.ManifestName]);
                files.Remove(BackupFormat.ManifestName);
                return new OpenedBackup(manifest, signer, files);
            }
            catch
            {
                foreach (var content in files.Values)
                {
                    CryptographicOperations.ZeroMemory(content);
                }

                throw;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(signedBytes);
            if (payload is not null)
            {
                CryptographicOperations.ZeroMemory(payload);
            }
        }
    }

    private static byte[] Decrypt(byte[] file, RSA recoveryKey)
    {
        var envelope = new EnvelopedCms();
        try
        {
            envelope.Decode(file);
        }
        catch (CryptographicException e)
        {
            throw new BackupRejectedException(BackupRejection.NotABackup, "the file is not a gateway backup (not CMS EnvelopedData): " + e.Message, e);
        }

        if (envelope.RecipientInfos.Count != 1)
        {
            throw new BackupRejectedException(BackupRejection.NotABackup, $"the file has {envelope.RecipientInfos.Count} recipients; a gateway backup has one, the recovery certificate");
        }

        try
        {
            envelope.Decrypt(envelope.RecipientInfos[0], recoveryKey);
        }
        catch (CryptographicException e)
        {
            // OAEP cannot tell a foreign key from a damaged key block; both mean "not for this key".
            throw new BackupRejectedException(BackupRejection.WrongRecoveryKey,
                "the recovery key does not open this backup: it was encrypted to another recovery certificate (another fleet), or the file is damaged", e);
        }

        return envelope.ContentInfo.Content;
    }

    private static Dictionary<string, byte[]> Unpack(byte[] payload)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        try
        {
            using var reader = new TarReader(new MemoryStream(payload, writable: false));
            while (reader.GetNextEntry(copyData: false) is { } entry)
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                {
                    throw Mismatch($"the backup holds '{entry.Name}' of type {entry.EntryType}; only regular files are allowed");
                }

                if (entry.Name != BackupFormat.ManifestName && !BackupFormat.IsKnownFile(entry.Name))
                {
                    throw Mismatch($"the backup holds '{entry.Name}', which a backup never holds");
                }

                if (files.ContainsKey(entry.Name))
                {
                    throw Mismatch($"the backup holds '{entry.Name}' twice");
                }

                if (entry.Length > payload.Length)
                {
                    throw Mismatch($"'{entry.Name}' claims {entry.Length} bytes, more than the whole backup");
                }

                var content = new byte[entry.Length];
                entry.DataStream?.ReadExactly(content);
                files[entry.Name] = content;
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw Mismatch("the signed content is not a readable tar archive: " + e.Message, e);
        }

        if (!files.ContainsKey(BackupFormat.ManifestName))
        {
            throw new BackupRejectedException(BackupRejection.ManifestInvalid, $"the backup has no {BackupFormat.ManifestName}");
        }

        return files;
    }

    private static void CheckSigner(X509Certificate2 signer, X509Certificate2 root, BackupManifest manifest, DateTimeOffset now)
    {
        if (manifest.CreatedAt > now + ClockSkew)
        {
            throw new BackupRejectedException(BackupRejection.ManifestInvalid, $"the backup claims to be made at {manifest.CreatedAt:u}, in the future");
        }

        // Checked at the time the backup was made: the signature was made then, and a
        // gateway is often restored because its intermediate's unit is gone for good.
        using var chain = new X509Chain { ChainPolicy = GatewayCertificateAuthority.AnchoredPolicy(root, manifest.CreatedAt) };
        if (!chain.Build(signer) || chain.ChainElements.Count != 2)
        {
            throw new BackupRejectedException(BackupRejection.ForeignRoot,
                $"the backup was signed by '{signer.Subject}', which does not chain to this gateway's offline root '{root.Subject}' " +
                $"({ClientCertificateValidator.Describe(chain)}): it comes from another fleet, or the root is not installed (iotsec-gateway keys install)");
        }

        if (!GatewayCertificateAuthority.IsCa(signer) || !CertificatePolicies.Contains(signer, CertificatePolicies.GatewayIntermediate))
        {
            throw new BackupRejectedException(BackupRejection.NotAGatewaySigner, $"the backup was signed by '{signer.Subject}', which is not a gateway intermediate");
        }

        if (signer.GetCertHashString(HashAlgorithmName.SHA256).ToLowerInvariant() != manifest.IntermediateSha256)
        {
            throw new BackupRejectedException(BackupRejection.ContentMismatch, "the manifest names another intermediate than the one that signed the backup");
        }
    }

    private static void CheckFiles(BackupManifest manifest, Dictionary<string, byte[]> files)
    {
        foreach (var entry in manifest.Files)
        {
            if (!files.TryGetValue(entry.Name, out var content))
            {
                throw Mismatch($"the manifest lists '{entry.Name}' but the backup does not hold it");
            }

            var digest = SHA256.HashData(content);
            if (content.Length != entry.Bytes || !CryptographicOperations.FixedTimeEquals(digest, Convert.FromHexString(entry.Sha256)))
            {
                throw Mismatch($"'{entry.Name}' does not match the manifest's size and SHA-256");
            }
        }

        if (files.Count != manifest.Files.Count + 1)
        {
            throw Mismatch("the backup holds files the manifest does not list");
        }
    }

    private static BackupRejectedException Mismatch(string message, Exception? inner = null) =>
        inner is null ? new(BackupRejection.ContentMismatch, message) : new(BackupRejection.ContentMismatch, message, inner);
}

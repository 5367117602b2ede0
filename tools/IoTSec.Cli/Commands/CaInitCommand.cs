using System;
using System.CommandLine;
using System.IO;
using System.Security.Cryptography;
using IoTSec.Cli.Ceremony;
using IoTSec.Gateway.Core.Pki;
using Spectre.Console;

namespace IoTSec.Cli.Commands;

/// <summary><c>iotsec ca init</c>: makes the offline root key (encrypted) and its self-signed certificate.</summary>
internal static class CaInitCommand
{
    private static readonly Option<DirectoryInfo> Out = new("--out")
    {
        Description = "CA directory to create (keep it on offline media)",
        Required = true,
    };

    private static readonly Option<FileInfo?> PassphraseFile = new("--passphrase-file")
    {
        Description = "Read the new root key's passphrase from the first line of this file (otherwise it is asked for twice)",
    };

    private static readonly Option<string> Name = new("--name")
    {
        Description = "Common name of the root",
        DefaultValueFactory = _ => "IoTSec Offline Root CA",
    };

    private static readonly Option<string?> Organization = new("--organization")
    {
        Description = "Organization (O=) of the root",
    };

    private static readonly Option<string> Curve = new("--curve")
    {
        Description = "Root key curve",
        DefaultValueFactory = _ => "p384",
    };

    private static readonly Option<int> Days = new("--days")
    {
        Description = "Validity of the root in days (20 years by default)",
        DefaultValueFactory = _ => (int)PkiDefaults.RootValidity.TotalDays,
    };

    public static Command Create()
    {
        Curve.AcceptOnlyFromAmong("p384", "p256");
        var command = new Command("init", "Create the offline root: an encrypted P-384 key and its self-signed certificate.")
        {
            Out, PassphraseFile, Name, Organization, Curve, Days,
        };
        command.SetAction(parse => CliConsole.Run(() => Execute(parse)));
        return command;
    }

    private static int Execute(ParseResult parse)
    {
        var directory = new CaDirectory(parse.GetRequiredValue(Out).FullName);
        var days = parse.GetValue(Days);
        if (days is < 365 or > 10958)
        {
            throw new CliError("--days for a root is 365 to 10958 (30 years)");
        }

        if (File.Exists(directory.RootCertificate) || File.Exists(directory.RootKey))
        {
            throw new CliError($"'{directory.Path}' already holds a root; refusing to overwrite it");
        }

        if (!Directory.Exists(directory.Path))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory.Path);
            }
            else
            {
                Directory.CreateDirectory(directory.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        var curve = parse.GetValue(Curve) == "p256" ? ECCurve.NamedCurves.nistP256 : ECCurve.NamedCurves.nistP384;
        IRootKeyStore keys = new EncryptedFileRootKeyStore(directory.RootKey, PassphraseSource.From(parse.GetValue(PassphraseFile)));
        var subject = OfflineRootAuthority.DefaultSubject(parse.GetValue(Name)!, parse.GetValue(Organization));

        using var key = keys.Create(curve);
        using var root = OfflineRootAuthority.CreateRootCertificate(key, subject, TimeSpan.FromDays(days));
        PemCertificateFile.Save(directory.RootCertificate, root);

        var output = CliConsole.Out;
        output.MarkupLine("[green]Offline root created[/]");
        output.MarkupLine($"  subject:      {Markup.Escape(root.Subject)}");
        output.MarkupLine($"  key:          ECDSA P-{key.KeySize}, encrypted (PBKDF2-HMAC-SHA256 x{EncryptedFileRootKeyStore.Iterations}, AES-256-CBC)");
        output.MarkupLine($"  valid:        {root.NotBefore.ToUniversalTime():yyyy-MM-dd} to {root.NotAfter.ToUniversalTime():yyyy-MM-dd}");
        output.MarkupLine($"  SHA-256:      {root.GetCertHashString(HashAlgorithmName.SHA256)}");
        output.MarkupLine($"  certificate:  {Markup.Escape(directory.RootCertificate)}");
        output.MarkupLine($"  key file:     {Markup.Escape(keys.Description)}");
        output.MarkupLine("Next: record the SHA-256 fingerprint, give root.pem to the provisioning line and the gateways, and keep this directory offline.");
        return 0;
    }
}

using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using IoTSec.Cli.Ceremony;
using IoTSec.Gateway.Core.Pki;
using Spectre.Console;

namespace IoTSec.Cli.Commands;

/// <summary><c>iotsec ca sign</c>: signs a gateway's CSR as its intermediate, after the operator checked the key fingerprint.</summary>
internal static class CaSignCommand
{
    private static readonly Option<DirectoryInfo> Ca = new("--ca")
    {
        Description = "CA directory made by 'iotsec ca init'",
        Required = true,
    };

    private static readonly Option<FileInfo> Csr = new("--csr")
    {
        Description = "The gateway's certificate signing request (PEM or DER)",
        Required = true,
    };

    private static readonly Option<FileInfo> Out = new("--out")
    {
        Description = "Where to write the signed intermediate certificate (PEM)",
        Required = true,
    };

    private static readonly Option<int> Days = new("--days")
    {
        Description = "Validity of the intermediate in days (5 years by default; never beyond the root's)",
        DefaultValueFactory = _ => (int)PkiDefaults.IntermediateValidity.TotalDays,
    };

    private static readonly Option<bool> Yes = new("--yes")
    {
        Description = "Sign without asking (only after comparing the key fingerprint with the gateway's)",
    };

    private static readonly Option<FileInfo?> PassphraseFile = new("--passphrase-file")
    {
        Description = "Read the root key's passphrase from the first line of this file (otherwise it is asked for)",
    };

    public static Command Create()
    {
        var command = new Command("sign", "Sign a gateway's CSR as a gateway intermediate (CA, path length 0).")
        {
            Ca, Csr, Out, Days, Yes, PassphraseFile,
        };
        command.SetAction(parse => CliConsole.Run(() => Execute(parse)));
        return command;
    }

    private static int Execute(ParseResult parse)
    {
        var directory = new CaDirectory(parse.GetRequiredValue(Ca).FullName);
        var csrFile = parse.GetRequiredValue(Csr);
        var outFile = parse.GetRequiredValue(Out);
        var days = parse.GetValue(Days);
        if (days is < 1 or > 3653)
        {
            throw new CliError("--days for an intermediate is 1 to 3653 (10 years)");
        }

        directory.RequireRoot();
        if (!csrFile.Exists)
        {
            throw new CliError($"CSR file '{csrFile.FullName}' does not exist");
        }

        if (outFile.Exists)
        {
            throw new CliError($"'{outFile.FullName}' already exists; refusing to overwrite it");
        }

        if (csrFile.Length > SigningRequestReader.MaxLength * 2)
        {
            throw new CliError($"'{csrFile.FullName}' is too large to be a signing request");
        }

        VerifiedSigningRequest request;
        try
        {
            request = SigningRequestReader.Read(File.ReadAllBytes(csrFile.FullName));
            OfflineRootAuthority.CheckIntermediateRequest(request);
        }
        catch (SigningRequestRejectedException ex)
        {
            throw new CliError($"'{csrFile.FullName}' is not an acceptable signing request ({ex.Reason}): {ex.Message}", ex);
        }

        using var root = PemCertificateFile.Load(directory.RootCertificate);

        var output = CliConsole.Out;
        output.MarkupLine("Gateway signing request (its self-signature verified):");
        output.MarkupLine($"  subject:          {Markup.Escape(request.Subject.Name)}");
        output.MarkupLine($"  key:              {request.Key}");
        output.MarkupLine($"  key SHA-256:      {request.KeyFingerprint}");
        output.MarkupLine($"  to be signed by:  {Markup.Escape(root.Subject)}");
        output.MarkupLine($"  validity:         {days} days");

        if (!parse.GetValue(Yes))
        {
            if (!CliConsole.IsInteractive)
            {
                throw new CliError("confirmation needed: compare the key SHA-256 with the one the gateway printed, then rerun with --yes");
            }

            if (!output.Confirm("Does the key SHA-256 match the one the gateway printed? Sign it?", defaultValue: false))
            {
                output.MarkupLine("Not signed.");
                return 1;
            }
        }

        IRootKeyStore keys = new EncryptedFileRootKeyStore(directory.RootKey, PassphraseSource.From(parse.GetValue(PassphraseFile)));
        using var key = keys.Open();
        using var intermediate = OfflineRootAuthority.SignGatewayIntermediate(root, key, request, TimeSpan.FromDays(days));
        PemCertificateFile.Save(outFile.FullName, intermediate);
        File.AppendAllText(directory.IssuanceLog, string.Create(
            CultureInfo.InvariantCulture,
            $"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ssZ} intermediate serial={intermediate.SerialNumber} notAfter={intermediate.NotAfter.ToUniversalTime():yyyy-MM-ddTHH:mm:ssZ} key-sha256={request.KeyFingerprint} subject=\"{intermediate.Subject}\"\n"));

        output.MarkupLine("[green]Gateway intermediate signed[/]");
        output.MarkupLine($"  serial:       {intermediate.SerialNumber}");
        output.MarkupLine($"  valid:        {intermediate.NotBefore.ToUniversalTime():yyyy-MM-dd} to {intermediate.NotAfter.ToUniversalTime():yyyy-MM-dd}");
        output.MarkupLine($"  SHA-256:      {intermediate.GetCertHashString(HashAlgorithmName.SHA256)}");
        output.MarkupLine($"  written to:   {Markup.Escape(outFile.FullName)}");
        output.MarkupLine($"Install on the gateway: {Markup.Escape(outFile.Name)} and root.pem.");
        return 0;
    }
}

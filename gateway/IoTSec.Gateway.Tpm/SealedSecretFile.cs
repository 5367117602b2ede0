using System;
using System.IO;
using System.Runtime.Versioning;
using IoTSec.Gateway.Tpm.Wire;

namespace IoTSec.Gateway.Tpm;

/// <summary>
/// The on-disk form of one sealed secret: "ITS1" (IoTSec TPM sealed, version 1), the PCR it is
/// sealed to, then the TPM2B_PUBLIC and TPM2B_PRIVATE of the sealed object as the TPM made
/// them. The private part is encrypted by the TPM under the storage primary, so the file is
/// useless elsewhere; it is still written 0600 in a 0700 directory, atomically.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class SealedSecretFile
{
    private static ReadOnlySpan<byte> Magic => "ITS1"u8;

    public static void Write(string path, int pcr, ReadOnlySpan<byte> publicWire, ReadOnlySpan<byte> privateWire)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var bytes = new TpmWireWriter().Bytes(Magic).UInt8((byte)pcr).Bytes(publicWire).Bytes(privateWire).ToArray();
        var temporary = path + ".tmp";
        var options = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        // A temporary file left by an earlier crash keeps its old mode: set it again.
        File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temporary, path, overwrite: true);
    }

    /// <exception cref="FormatException">Not a sealed-secret file, or truncated.</exception>
    public static (int Pcr, byte[] Public, byte[] Private) Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var reader = new TpmWireReader(bytes);
        if (!reader.Take(Magic.Length).SequenceEqual(Magic))
        {
            throw new FormatException("not an IoTSec sealed-secret file (bad magic)");
        }

        var pcr = reader.UInt8();
        var publicWire = TakeSized(ref reader);
        var privateWire = TakeSized(ref reader);
        reader.ExpectEnd();
        return (pcr, publicWire, privateWire);
    }

    // A TPM2B with its size prefix, as libtss2-mu expects it back.
    private static byte[] TakeSized(ref TpmWireReader reader) => new TpmWireWriter().Sized(reader.Sized()).ToArray();
}

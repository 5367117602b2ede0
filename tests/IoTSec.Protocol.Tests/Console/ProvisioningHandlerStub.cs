using System;
using System.Text;
using System.Threading;
using IoTSec.Protocol.Console;

namespace IoTSec.Protocol.Tests.Console;

/// <summary>
/// A stand-in for the firmware's provisioning handler: Info echoes its payload reversed,
/// Commit has a side effect (a counter whose new value it returns), Lock refuses with
/// <see cref="ConsoleStatus.Locked"/>, FactoryReset throws, anything else is unknown.
/// </summary>
internal sealed class ProvisioningHandlerStub : IConsoleCommandHandler
{
    public static readonly byte[] LockedDetail = Encoding.ASCII.GetBytes("provisioning locked");

    private int _commits;
    private int _calls;

    public int Commits => Volatile.Read(ref _commits);

    public int Calls => Volatile.Read(ref _calls);

    public static byte[] Reversed(byte[] payload)
    {
        var copy = (byte[])payload.Clone();
        Array.Reverse(copy);
        return copy;
    }

    public byte Handle(byte command, byte[] payload, out byte[] response)
    {
        Interlocked.Increment(ref _calls);
        switch ((ConsoleCommand)command)
        {
            case ConsoleCommand.Hello:
                response = [];
                return (byte)ConsoleStatus.Ok;
            case ConsoleCommand.Info:
                response = Reversed(payload);
                return (byte)ConsoleStatus.Ok;
            case ConsoleCommand.Commit:
                int value = Interlocked.Increment(ref _commits);
                response = BitConverter.GetBytes(value);
                return (byte)ConsoleStatus.Ok;
            case ConsoleCommand.Lock:
                response = LockedDetail;
                return (byte)ConsoleStatus.Locked;
            case ConsoleCommand.FactoryReset:
                throw new InvalidOperationException("flash erase failed");
            default:
                response = [];
                return (byte)ConsoleStatus.UnknownCommand;
        }
    }
}

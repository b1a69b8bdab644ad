using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Moq.Protected;

namespace ConfluenceConnector.Tests.Support;

/// <summary>A mocked <see cref="TaskOrchestrationContext"/> for running an orchestrator's code without the engine.</summary>
internal static class OrchestrationContextMock
{
    /// <summary>A context whose replay-safe logger goes nowhere and whose other members call the base class.</summary>
    public static Mock<TaskOrchestrationContext> Create()
    {
        var context = new Mock<TaskOrchestrationContext> { CallBase = true };
        context.Protected().SetupGet<ILoggerFactory>("LoggerFactory").Returns(NullLoggerFactory.Instance);
        return context;
    }

    /// <summary>Answers every call of the activity <paramref name="name"/> with <paramref name="answer"/> of its input.</summary>
    public static void SetupActivity<TInput, TResult>(this Mock<TaskOrchestrationContext> context, string name, Func<TInput, Task<TResult>> answer) =>
        context.Setup(c => c.CallActivityAsync<TResult>(It.Is<TaskName>(n => n.Name == name), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns((TaskName _, object? input, TaskOptions? _) => answer((TInput)input!));
}

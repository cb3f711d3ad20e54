// idle.cpp - MAPI's idle engine from C++, as clients schedule background
// work with it: MAPIInitIdle, FtgRegisterIdleRoutine for a routine called
// at an interval (FIROINTERVAL) and one registered disabled
// (FIRODISABLED), EnableIdleRoutine, ChangeIdleRoutine giving a routine a
// new context (FIRCPV), DeregisterIdleRoutine (after which the routine is
// never called again, so its context may go), MAPIDeinitIdle.
// The routines run on the engine's thread; they count their calls in
// atomics that the main thread waits on.
#include <windows.h>
#include <mapix.h>
#include <mapiutil.h>
#include <stdio.h>
#include <atomic>
#include <chrono>
#include <thread>

struct CCounter {
    std::atomic<ULONG> cCalls{ 0 };
};

static BOOL STDAPICALLTYPE CountCall(LPVOID lpvContext)
{
    static_cast<CCounter *>(lpvContext)->cCalls++;
    return TRUE;
}

// Waits up to five seconds for the counter to reach cWanted.
static bool WaitFor(const CCounter &counter, ULONG cWanted)
{
    for (int i = 0; i < 500 && counter.cCalls < cWanted; i++)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return counter.cCalls >= cWanted;
}

int main()
{
    CCounter interval, disabled, changed;
    if (MAPIInitIdle(NULL) != 0) {
        printf("MAPIInitIdle failed\n");
        return 1;
    }
    printf("MAPIInitIdle: 0\n");

    // every hundredth of a second
    FTG ftgInterval = FtgRegisterIdleRoutine(CountCall, &interval, PRIUSER, 1, FIROINTERVAL);
    FTG ftgDisabled = FtgRegisterIdleRoutine(CountCall, &disabled, PRIUSER - 1, 1,
                                             FIROINTERVAL | FIRODISABLED);
    printf("registered: %s, %s\n", ftgInterval ? "yes" : "no", ftgDisabled ? "yes" : "no");
    if (!ftgInterval || !ftgDisabled)
        return 1;

    printf("interval routine called three times: %s\n", WaitFor(interval, 3) ? "yes" : "no");
    printf("disabled routine called meanwhile: %s\n", disabled.cCalls ? "yes" : "no");

    EnableIdleRoutine(ftgDisabled, TRUE);
    printf("enabled routine called: %s\n", WaitFor(disabled, 1) ? "yes" : "no");

    // the interval routine counts into another context from now on
    ChangeIdleRoutine(ftgInterval, NULL, &changed, 0, 0, 0, FIRCPV);
    printf("called with its new context: %s\n", WaitFor(changed, 2) ? "yes" : "no");

    DeregisterIdleRoutine(ftgInterval);
    DeregisterIdleRoutine(ftgDisabled);
    ULONG cChanged = changed.cCalls, cDisabled = disabled.cCalls;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    printf("called after DeregisterIdleRoutine: %s\n",
           changed.cCalls != cChanged || disabled.cCalls != cDisabled ? "yes" : "no");

    MAPIDeinitIdle();
    printf("MAPIDeinitIdle: done\n");
    return 0;
}

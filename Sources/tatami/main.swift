import CLI
Tatami.main()

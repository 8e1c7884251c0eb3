from aluminium.cli import main

raise SystemExit(main())

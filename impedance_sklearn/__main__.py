from impedance_sklearn.cli import main

raise SystemExit(main())

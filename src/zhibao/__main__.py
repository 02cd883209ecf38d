from zhibao.cli import main

main()
